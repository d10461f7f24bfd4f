package candlecast.feed;

import candlecast.common.Book;

/**
 * Where book sources hand their books: the newest book of a symbol replaces one not yet written.
 * Any thread.
 */
interface BookSink {
  void offer(Book book);
}
