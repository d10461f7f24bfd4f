"""A tiny terminal ticker (thread API: the seed dashboard client's names).

    PYTHONPATH=clients/python/src python3 clients/python/examples/ticker.py --url http://localhost:8080 BTCUSD ETHUSD
"""
import argparse
import os
import sys
import time

from candlecast import WebSocketClient


def main(url, symbols, seconds):
    client = WebSocketClient(url=url, token=os.environ.get("CANDLECAST_TOKEN"), symbols=symbols)
    client.start_background()
    end = time.monotonic() + seconds if seconds else None
    try:
        while end is None or time.monotonic() < end:
            data = client.get_latest_data()
            status = "●" if client.is_connected() else "○"
            cells = []
            for s in client.symbols:
                d = data.get(s)
                cells.append(f"{s} {d['price']:,.2f} ({d.get('change_pct') or 0:+.2f}%)" if d else f"{s} …")
            line = f"{status} " + "  |  ".join(cells)
            sys.stdout.write(("\r" + line) if sys.stdout.isatty() else line + "\n")
            sys.stdout.flush()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        client.stop()
        print()


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("symbols", nargs="*", default=["BTCUSD", "ETHUSD"])
    p.add_argument("--url", default="http://localhost:8080")
    p.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    a = p.parse_args()
    main(a.url, a.symbols, a.seconds)
