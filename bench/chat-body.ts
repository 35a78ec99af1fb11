import { benchModelGroup } from './bench-gateway-config';

/** The request every target gets: the same body, streamed or not (a peer may name the model its own way). */
export const chatBody = (stream: boolean, model = benchModelGroup) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'benchmark' }], ...(stream && { stream: true }) });
