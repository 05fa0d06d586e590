export { isPublicAddress } from './address-policy.js';
export { isReservedHeader } from './custom-headers.js';
export { generateEndpointSecret, secretKey } from './endpoint-secret.js';
export { PrivateAddressError, guardedLookup } from './guarded-lookup.js';
export { signWebhook, type SignedHeaders } from './signature.js';
export {
  MAX_WEBHOOK_URL_LENGTH,
  checkWebhookUrl,
  systemResolver,
  type Resolver,
  type UrlCheck,
  type UrlRefusal,
} from './webhook-url.js';
