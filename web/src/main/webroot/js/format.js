/*
 * Candlecast page: number and local-time formatting (pure; unit-tested with `node --test` through model.js, which
 * re-exports everything here).
 */
/** Decimals to show for a price of this size: cents from 1 up, else four significant digits (at most 12 places). */
export function priceDecimals(price) {
  const a = Math.abs(price);
  if (!Number.isFinite(a) || a >= 1 || a === 0) return 2;
  return Math.min(12, Math.ceil(-Math.log10(a)) + 3);
}

const numberFormats = new Map();
function fixed(decimals) {
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(decimals, f);
  }
  return f;
}

export function formatPrice(p, decimals) {
  return Number.isFinite(p) ? fixed(decimals).format(p) : '–';
}

/** Volume with a K/M/B suffix above a thousand, else up to four significant decimals. */
export function formatVolume(v) {
  if (!Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(2) + 'K';
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(3);
  return v === 0 ? '0' : v.toFixed(4);
}

/** "+1.23%" / "-0.50%" / "0.00%". */
export function formatPct(pct) {
  if (!Number.isFinite(pct)) return '–';
  const s = pct.toFixed(2);
  return (pct > 0 && s !== '0.00' ? '+' : '') + (s === '-0.00' ? '0.00' : s) + '%';
}

export function formatSigned(x, decimals) {
  if (!Number.isFinite(x)) return '–';
  const s = formatPrice(Math.abs(x), decimals);
  return (x > 0 ? '+' : x < 0 ? '−' : '') + s;
}

/** 'up' | 'down' | 'flat' for a change. */
export function direction(x) {
  return x > 0 ? 'up' : x < 0 ? 'down' : 'flat';
}

/**
 * Time labels in the viewer's time zone (or `timeZone`, for tests). Bars keep their true UTC times (seconds at the
 * candle start); only the labels are local.
 *   tick(time, type): the time axis (type = Lightweight Charts' TickMarkType: 0 year, 1 month, 2 day, 3 time,
 *   4 time with seconds); crosshair(time, tf): the crosshair's time label.
 */
export function makeTimeFormatters(locale, timeZone) {
  const opts = (o) => (timeZone ? { ...o, timeZone } : o);
  const year = new Intl.DateTimeFormat(locale, opts({ year: 'numeric' }));
  const month = new Intl.DateTimeFormat(locale, opts({ month: 'short' }));
  const day = new Intl.DateTimeFormat(locale, opts({ day: 'numeric', month: 'short' }));
  const hm = new Intl.DateTimeFormat(locale, opts({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }));
  const hms = new Intl.DateTimeFormat(locale, opts({ hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }));
  const date = new Intl.DateTimeFormat(locale, opts({ weekday: 'short', day: 'numeric', month: 'short', year: '2-digit' }));
  const full = new Intl.DateTimeFormat(locale, opts({
    weekday: 'short', day: 'numeric', month: 'short', year: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }));
  const fullSec = new Intl.DateTimeFormat(locale, opts({
    weekday: 'short', day: 'numeric', month: 'short', year: '2-digit', hour: '2-digit', minute: '2-digit',
    second: '2-digit', hourCycle: 'h23',
  }));
  const ms = (t) => (typeof t === 'number' ? t * 1000 : Date.UTC(t.year, t.month - 1, t.day));
  return {
    tick(time, type) {
      const d = ms(time);
      switch (type) {
        case 0: return year.format(d);
        case 1: return month.format(d);
        case 2: return day.format(d);
        case 4: return hms.format(d);
        default: return hm.format(d);
      }
    },
    crosshair(time, tf) {
      const d = ms(time);
      if (tf === '1d' || tf === '1w' || tf === '1M') return date.format(d);
      return (tf === '1s' ? fullSec : full).format(d);
    },
  };
}
