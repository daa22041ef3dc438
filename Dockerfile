# Gatehouse: the server and the built web app in one image.
# Build: docker build -t gatehouse .   (docker-compose.yml does this)

FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown \
 && cargo install --locked trunk --version 0.21.14
COPY . .
RUN cargo install wasm-bindgen-cli --version "$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
# The three bundles (admin app, CRM workspace, client cabinet) exactly as scripts/start and the
# tests build them; build_web fetches the crates first, since trunk runs cargo offline.
RUN bash -c 'source scripts/lib.sh && build_web'
RUN cargo build --release -p gatehouse-api

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/gatehouse gatehouse \
 && mkdir -p /var/lib/gatehouse && chown gatehouse /var/lib/gatehouse
COPY --from=build /src/target/release/gatehouse /usr/local/bin/gatehouse
COPY --from=build /src/web/dist /usr/share/gatehouse/web
USER gatehouse
ENV GATEHOUSE_ADDR=0.0.0.0:8080 \
    GATEHOUSE_DATA_DIR=/var/lib/gatehouse \
    GATEHOUSE_WEB_DIR=/usr/share/gatehouse/web \
    GATEHOUSE_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["gatehouse"]
CMD ["serve"]
