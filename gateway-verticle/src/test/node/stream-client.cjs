// The seed document's JavaScript client of the Main Data Stream ("Integration with Frontend", and the message
// handling of its React hook), run by Node's built-in WebSocket against Candlecast's /ws/stream, for
// StreamNodeClientTest. The client code is the seed's as written; only the URL and the symbol come from the command
// line, and what it does is printed as one JSON object per line. Lines on stdin are sent as they are (the messages of
// the seed's protocol a test wants to try); "quit" closes the socket and exits.
// Usage: node [--experimental-websocket] stream-client.cjs <ws url> <symbol>
'use strict';
const url = process.argv[2];
const symbol = process.argv[3];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

// what the seed's page would draw
function updateChart(data) {
    out({ event: 'chart', data });
}

// ---- the seed's example, unchanged but for the URL and symbol ----
const ws = new WebSocket(url);

ws.onopen = function() {
    console.log(JSON.stringify({ event: 'open' }));

    // Subscribe to a symbol
    ws.send(JSON.stringify({
        type: 'subscribe',
        symbol: symbol
    }));
};

ws.onmessage = function(event) {
    const data = JSON.parse(event.data);
    out({ event: 'message', message: data });
    if (data.type === 'data') {
        // Handle real-time market data
        updateChart(data.data);
    }
};
// ---- end of the seed's example ----

ws.onclose = (e) => { out({ event: 'close', code: e.code }); process.exit(0); };
ws.onerror = (e) => out({ event: 'error', message: String(e && (e.message || e.type)) });

let pending = '';
process.stdin.on('data', (d) => {
    pending += String(d);
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line === 'quit') {
            ws.close();
            setTimeout(() => process.exit(0), 500);
        } else {
            ws.send(line);
        }
    }
});
