#!/usr/bin/env bash
# Sends a Shopify webhook sample to a running RefundSentry, signed the way Shopify signs it
# (base64 HMAC-SHA256 of the raw body with the app secret; the demo secret by default).
#   scripts/send-webhook.sh orders/create server/shopify/fixtures/webhooks/orders_create.json
set -euo pipefail
topic="$1"
file="$2"
url="${REFUNDSENTRY_URL:-http://127.0.0.1:3000}"
secret="${SHOPIFY_API_SECRET:-${DEMO_WEBHOOK_SECRET:-refundsentry-demo-secret}}"
shop="${SHOP:-demo.myshopify.com}"
hmac="$(openssl dgst -sha256 -hmac "$secret" -binary < "$file" | base64)"
curl -sS -X POST "$url/webhooks" \
  -H 'Content-Type: application/json' \
  -H "X-Shopify-Topic: $topic" \
  -H "X-Shopify-Hmac-Sha256: $hmac" \
  -H "X-Shopify-Shop-Domain: $shop" \
  -H 'X-Shopify-API-Version: 2026-07' \
  -H "X-Shopify-Webhook-Id: ${WEBHOOK_ID:-$(cat /proc/sys/kernel/random/uuid)}" \
  -H "X-Shopify-Event-Id: ${EVENT_ID:-$(cat /proc/sys/kernel/random/uuid)}" \
  -H "X-Shopify-Triggered-At: $(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --data-binary "@$file"
echo
