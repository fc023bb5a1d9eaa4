// What the Shopify CLI generates for this target: the global `shopify` API of the extension.
declare const shopify: import('@shopify/ui-extensions/admin.order-details.block.render').Api;
