"""A year of daily bars into a pandas DataFrame, plotted to a PNG (matplotlib, optional).

    PYTHONPATH=clients/python/src python3 clients/python/examples/daily_png.py --url http://localhost:8080 BTC-USD btc.png
"""
import argparse
import os

from candlecast import DataPeriod, DataProvider, DataResolution


def main(url, ticker, png):
    provider = DataProvider(url, token=os.environ.get("CANDLECAST_TOKEN"))
    df = provider.get_data(ticker=ticker, resolution=DataResolution.DAY_01, period=DataPeriod.YEAR_01,
                           local_only=False, error_callback=lambda e: print(f"Error: {e}"))
    if df is None:
        raise SystemExit(1)
    print(df.tail())
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (price, volume) = plt.subplots(2, 1, sharex=True, figsize=(10, 6), gridspec_kw={"height_ratios": [3, 1]})
    price.plot(df.index, df["Close"], label="Close")
    price.fill_between(df.index, df["Low"], df["High"], alpha=0.2, label="Low–High")
    price.set_title(f"{ticker}: {len(df)} daily bars")
    price.legend()
    volume.bar(df.index, df["Volume"], width=0.8)
    volume.set_ylabel("Volume")
    fig.autofmt_xdate()
    fig.savefig(png, dpi=100)
    print(f"wrote {png} ({len(df)} rows)")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("ticker", nargs="?", default="BTC-USD")
    p.add_argument("png", nargs="?", default="daily.png")
    p.add_argument("--url", default="http://localhost:8080")
    a = p.parse_args()
    main(a.url, a.ticker, a.png)
