# nginx in front of the app (uvicorn). proxy/run.sh renders this file with envsubst and substitutes
# only the variables it lists, so nginx's own ($host, $uri, ...) stay as they are.
#
# CLIENT_MAX_BODY_SIZE must be at least the app's VIDEO_MAX_BYTES plus multipart overhead
# (default 210m for a 200 MiB video): nginx answers 413 above it, before the app sees a byte.

# Websocket upgrades (GraphQL subscriptions) pass through; other requests close the upstream
# connection when done.
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}

# X-Forwarded-Proto for the app: this server's own scheme. With TRUST_FORWARDED_PROTO=on (only
# behind a TLS-terminating load balancer that sets the header), the scheme that balancer reports.
map "${TRUST_FORWARDED_PROTO}:$http_x_forwarded_proto" $forwarded_proto {
    default    $scheme;
    "on:https" https;
    "on:http"  http;
}

server {
    listen ${LISTEN_PORT};
    server_name _;
    server_tokens off;

    client_max_body_size ${CLIENT_MAX_BODY_SIZE};
    client_body_timeout 60s;
    client_header_timeout 30s;
    send_timeout 60s;
    keepalive_timeout 65s;

    # The app's address is resolved per request (cached for 10s), not once at start: nginx
    # starts even when the app's name does not resolve yet, and follows it when it moves.
    # An IP address in APP_HOST needs no resolver.
    resolver ${NGINX_RESOLVER} valid=10s ipv6=off;
    resolver_timeout 5s;
    set $upstream http://${APP_HOST}:${APP_PORT};

    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $forwarded_proto;
    proxy_set_header X-Forwarded-Host $http_host;
    # Set here once: a location that sets any proxy_set_header inherits none of these.
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_connect_timeout 5s;
    proxy_send_timeout ${PROXY_TIMEOUT};
    proxy_read_timeout ${PROXY_TIMEOUT};
    proxy_redirect off;

    location /static/ {
        alias ${STATIC_ROOT}/;
        access_log off;
        expires 1h;
    }

    # Uploaded files: never run as a page on this origin, whatever their bytes.
    location /media/ {
        alias ${MEDIA_ROOT}/;
        add_header X-Content-Type-Options nosniff always;
        add_header Content-Security-Policy "default-src 'none'; sandbox" always;
        expires 1h;
    }

    # PRIVATE videos' files are never served plainly: only through the app's signed links.
    location ^~ /media/private/ {
        return 404;
    }

    # The app checks a signed link, then answers X-Accel-Redirect: /protected-media/<name> and
    # nginx sends the file. Must match the app's MEDIA_X_ACCEL_PREFIX (default /protected-media/).
    location /protected-media/ {
        internal;
        alias ${MEDIA_ROOT}/;
        add_header X-Content-Type-Options nosniff always;
        add_header Content-Security-Policy "default-src 'none'; sandbox" always;
        # Cache-Control (private, no-store) is the app's, kept from its response.
    }

    # The proxy itself is up (container health check); says nothing about the app.
    location = /nginx-health {
        access_log off;
        default_type text/plain;
        return 200 "ok\n";
    }

    # GraphQL over HTTP; websocket upgrades (subscriptions) go to @graphql_websocket.
    location /graphql {
        error_page 418 = @graphql_websocket;
        if ($http_upgrade ~* "^websocket$") {
            return 418;
        }
        proxy_pass $upstream;
    }

    location @graphql_websocket {
        proxy_pass $upstream;
        # An idle subscription stays open this long between two messages.
        proxy_read_timeout ${WEBSOCKET_TIMEOUT};
        proxy_send_timeout ${WEBSOCKET_TIMEOUT};
        proxy_buffering off;
    }

    location / {
        proxy_pass $upstream;
    }
}
