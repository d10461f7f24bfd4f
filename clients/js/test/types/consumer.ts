// Compiled (not run) by test/unit/types.test.mjs: the published declarations type a consumer's code, and wrong
// uses are errors (each @ts-expect-error must meet an error, so declarations that were `any` would fail).
import {
  CandlecastClient, CandlecastError, Subscription, Candle, Trade, Ticker, Book, IndicatorPoint, AlertFire, StreamItem,
  CandleSnapshot,
} from '../../dist/index.js';

const c = new CandlecastClient({ url: 'http://localhost:8080', token: () => Promise.resolve('jwt'), backoff: { initialMs: 100 } });
const candles: Subscription<CandleSnapshot, Candle> = c.candles('BTCUSD', '1m', {
  throttleMs: 250,
  onSnapshot: (s) => { const r: boolean | null = s.recovered; void r; },
  onUpdate: (k) => { const t: number = k.time; void t; },
  onError: (e: CandlecastError) => { const code: string = e.code; void code; },
});
c.trades('BTCUSD', { onUpdate: (t: Trade) => void t.price });
c.ticker('BTCUSD', { onUpdate: (t: Ticker) => void t.changePct });
c.book('BTCUSD', { depth: 25, onUpdate: (b: Book) => void b.bids[0]?.[0] });
c.indicator('BTCUSD', '1m', 'rsi', { period: 14 }, { limit: 100, onUpdate: (p: IndicatorPoint) => void p.values.value });
c.alerts({ since: 0, onUpdate: (f: AlertFire) => void f.recordedAt });
c.onState((state, detail) => { if (state === 'reconnecting') void detail.delayMs; });

async function consume(): Promise<number> {
  const daily: Candle[] = await c.history.candles('BTCUSD', '1d', { period: '1y', localOnly: false });
  const batch = await c.historyBatch(['BTCUSD'], '1d', { limit: 10 }, (p) => void p.progress);
  const first = batch.BTCUSD;
  if (first instanceof CandlecastError) return 0;
  for await (const item of candles) {
    const it: StreamItem<CandleSnapshot, Candle> = item;
    if (it.kind === 'update') return it.data.close + daily.length + (first?.length ?? 0);
  }
  return 0;
}
void consume;

// @ts-expect-error depth is 10, 25 or 100
c.book('BTCUSD', { depth: 7 });
// @ts-expect-error a candle's close is a number
c.candles('BTCUSD', '1m', { onUpdate: (k) => { const s: string = k.close; void s; } });
// @ts-expect-error the state is one of five names
c.onState((state) => { if (state === 'open') void 0; });
// @ts-expect-error the url is required
new CandlecastClient({ token: 'x' });
