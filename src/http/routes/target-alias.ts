import { invalid } from '../../domain/errors.ts';
import { message } from '../../domain/messages.ts';

/**
 * A request's deprecated name for its deployment target (`clusterName` in job bodies, `?cluster=` on
 * catalogs) is its `target`: scripts written before the rename still send it. Both given and
 * different is refused rather than one silently chosen.
 */
export function withTarget<R extends { target?: string | undefined }, A extends string>(
  request: R & { [K in A]?: string | undefined },
  alias: A,
): Omit<R, A> {
  const { [alias]: given, ...rest } = request;
  const named = rest as Omit<R, A> & { target?: string | undefined };
  if (given === undefined) return named;
  if (named.target !== undefined && named.target !== given)
    throw invalid(alias, message('request.targetTwice', { target: named.target, alias, given }));
  return { ...named, target: given };
}
