# amends in a small image: built with cgo (SQLite), run as a non-root user.
#   docker build -t amends .
#   docker run -p 8080:8080 -v amends-data:/data amends
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/amends ./cmd/amends

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /data amends && mkdir -p /data && chown amends /data
COPY --from=build /out/amends /usr/local/bin/amends
USER amends
WORKDIR /data
ENV AMENDS_ADDR=:8080 AMENDS_DB=/data/amends.db
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/amends"]
CMD ["serve"]
