"""Real-time delivery: change events to the channel layer, and the WebSocket endpoint."""
