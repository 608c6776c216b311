# syntax=docker/dockerfile:1
# Multi-stage: build a static binary with the same command CI runs (.ci/build), then
# ship it alone in an empty image, as a non-root user, with the ledger on a volume.
# The zone database is embedded in the binary (time/tzdata); CA certificates are
# copied for the HTTPS calls to Slack.
# The etcd members of compose.yaml run etcd's own server, built by .ci/build-etcd at the
# version briefbot's client is tested against (`docker build --target etcd`).
FROM golang:1.26 AS etcd-build
COPY go.mod .ci/build-etcd /src/
RUN sh /src/build-etcd /out/etcd /src/go.mod && mkdir -p /out/etcd-data

FROM scratch AS etcd
COPY --from=etcd-build /out/etcd /etcd
COPY --from=etcd-build --chown=65532:65532 /out/etcd-data /etcd-data
USER 65532:65532
VOLUME ["/etcd-data"]
EXPOSE 2379 2380
ENTRYPOINT ["/etcd"]

# briefbot itself: the last stage, so a plain `docker build .` makes it.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG COMMIT=unknown
RUN sh .ci/build /out/briefbot "$COMMIT" && mkdir -p /out/data/files

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/briefbot /briefbot
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
ENV BRIEFBOT_DATA=/data/briefbot.db BRIEFBOT_LISTEN=:8080 BRIEFBOT_OPS_LISTEN=:9090
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/briefbot", "health"]
ENTRYPOINT ["/briefbot"]
CMD ["serve"]
