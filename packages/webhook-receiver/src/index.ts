export type { ReceiverAnswer } from './answers.js';
export { verifySignature, type Verification } from './signature.js';
export {
  createWebhookReceiver,
  startWebhookReceiver,
  type AnswerRule,
  type ControlAnswer,
  type ReceivedWebhook,
  type ReceiverServer,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook-receiver.js';
