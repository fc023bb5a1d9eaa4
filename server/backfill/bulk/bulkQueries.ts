import type { FetchStage, HistoryWindow } from '../HistorySource.ts';

/**
 * The bulk query each fetch stage runs (FACTS 4.7: `edges { node }` only, at most five
 * connections, nested at most two deep, no connection inside a list, every parent of a nested
 * connection selects `id`). A bulk query takes no variables, so the window is written into its
 * search string.
 *
 * Orders are found by creation time, with their payment transactions and Shopify's own risk
 * assessments (issue 20); fulfilments, returns and refunds by the order's last
 * update (an order touched by any of them in the window was updated in it), then kept by their
 * own time. Return and refund lines sit one connection too deep for a bulk query (order →
 * returns → lines; refunds is a list); the source fetches them by id afterwards
 * (BackfillReturnDetails, BackfillRefundDetails).
 */

const MONEY = 'shopMoney { amount currencyCode }';

const ADDRESS = 'address1 address2 city zip province provinceCode country countryCodeV2 latitude longitude phone';

/** An order's lines as a return needs them (SKU, product, unit price paid). */
const LINE_ITEMS = `
        lineItems {
          edges {
            node {
              id
              sku
              title
              variantTitle
              vendor
              quantity
              isGiftCard
              requiresShipping
              product { id }
              variant { id }
              originalUnitPriceSet { ${MONEY} }
              totalDiscountSet { ${MONEY} }
              discountAllocations { allocatedAmountSet { ${MONEY} } }
            }
          }
        }`;

/**
 * An order's payment transactions (a list, not a connection: allowed in a bulk query), with the
 * card's details (`CardPaymentDetails`, issue 20): rewritten into the order_transactions/create
 * shape and normalized as a webhook would be (a keyed card fingerprint; no raw card data kept).
 */
const TRANSACTIONS = `
        transactions(first: 50) {
          id
          kind
          status
          gateway
          createdAt
          processedAt
          test
          errorCode
          amountSet { ${MONEY} }
          paymentDetails {
            ... on CardPaymentDetails { avsResultCode cvvResultCode bin company number name expirationMonth expirationYear wallet }
          }
        }`;

const ORDER_FIELDS = `
        id
        name
        createdAt
        processedAt
        cancelledAt
        currencyCode
        email
        phone
        clientIp
        tags
        sourceName
        paymentGatewayNames
        displayFinancialStatus
        discountCodes
        totalPriceSet { ${MONEY} }
        subtotalPriceSet { ${MONEY} }
        totalDiscountsSet { ${MONEY} }
        totalShippingPriceSet { ${MONEY} }
        shippingLine { title code originalPriceSet { ${MONEY} } }
        shippingAddress { ${ADDRESS} }
        billingAddress { ${ADDRESS} }
        customer {
          id
          createdAt
          state
          tags
          defaultEmailAddress { emailAddress }
          defaultPhoneNumber { phoneNumber }
          defaultAddress { ${ADDRESS} }
        }
        ${TRANSACTIONS.trim()}
        risk { assessments { riskLevel provider { id } facts { sentiment } } }
        ${LINE_ITEMS.trim()}`;

/** Shopify search syntax for `field` in [from, to). */
function between(field: string, window: HistoryWindow): string {
  return `${field}:>='${window.from}' AND ${field}:<'${window.to}'`;
}

function ordersQuery(search: string, fields: string): string {
  return `{
  orders(query: ${JSON.stringify(search)}, sortKey: CREATED_AT) {
    edges {
      node {${fields}
      }
    }
  }
}`;
}

export function bulkQueryFor(stage: FetchStage, window: HistoryWindow): string {
  // Anything that happened in the window touched its order no earlier than the window's start.
  const touched = `updated_at:>='${window.from}'`;
  switch (stage) {
    case 'orders':
      return ordersQuery(between('created_at', window), ORDER_FIELDS);
    case 'fulfillments':
      return ordersQuery(touched, `
        id
        fulfillments { id createdAt updatedAt deliveredAt status displayStatus }`);
    case 'returns':
      return ordersQuery(touched, `
        id
        customer { id }${LINE_ITEMS}
        returns {
          edges {
            node { id name status createdAt closedAt totalQuantity }
          }
        }`);
    case 'refunds':
      return ordersQuery(touched, `
        id
        customer { id }
        refunds { id createdAt note totalRefundedSet { ${MONEY} } return { id } }`);
    case 'chargebacks':
      return `{
  disputes(query: ${JSON.stringify(between('initiated_at', window))}) {
    edges {
      node {
        id
        initiatedAt
        status
        type
        amount { amount currencyCode }
        reasonDetails { reason }
        order { id }
      }
    }
  }
}`;
  }
}
