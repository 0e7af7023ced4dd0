websocket_application = None
