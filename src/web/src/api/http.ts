import { ApiError, createClient } from '../../../client/index.ts';
import i18n from '../i18n/index.ts';
import { errorText } from '../models/message-text.ts';

export { ApiError };

/**
 * The console's instance of the one typed client (src/client), on the page's own origin: every API
 * error becomes an ApiError with the server's message, said in the console's language when the
 * server gave its code. No user header: the server knows the console by the Origin the browser sends.
 */
export const api = createClient({
  baseUrl: '',
  errorText: (e) => errorText(i18n.t, e),
  unreachable: (_, detail) => i18n.t('common.unreachable', { detail }),
});

export const enc = encodeURIComponent;
