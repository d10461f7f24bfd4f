export { CandlecastClient } from './client.js';
export type { ClientOptions, ConnectionState, StateDetail, TokenSource } from './client.js';
export { CandlecastError, codeForStatus } from './errors.js';
export { backoffDelay, restartDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { endpoints } from './urls.js';
export { Pacer } from './pacer.js';
export type { RateOptions } from './pacer.js';
export { History } from './history.js';
export type { CandleHistoryOptions, TradeHistoryOptions, HistoryBatchOptions, BatchProgress, RestInit } from './history.js';
export { BaseSubscription } from './subscription.js';
export type { StreamItem, SubscriptionStats, StreamHandlers } from './subscription.js';
import type { BaseSubscription as Base } from './subscription.js';
/** What every stream method returns: {ready, close(), stats, [Symbol.asyncIterator]}. */
export type Subscription<S = unknown, U = unknown> = Base<S, U>;
export { CandleSubscription, TradeSubscription, TickerSubscription, BookSubscription } from './streams.js';
export type { CandleOptions, TradeOptions, TickerOptions, BookOptions } from './streams.js';
export { IndicatorSubscription, AlertSubscription, PortfolioSubscription, alertResumeSince, ALERT_RESUME_MARGIN_MS } from './analysis.js';
export type { IndicatorOptions, AlertOptions } from './analysis.js';
export type {
  Candle, Trade, Ticker, Book, Level, IndicatorPoint, AlertFire, Notice, Portfolio, PortfolioPosition,
  CandleSnapshot, TradeSnapshot, IndicatorSnapshot,
} from './models.js';
export { candleFromFrame, candleFromRest, tradeFrom } from './models.js';
export { decodeBinaryFrame } from './binary.js';
