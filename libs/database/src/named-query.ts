/**
 * A statement node-postgres prepares once per connection under `name`: parse and plan are paid
 * once, not on every call. Spread it into a query with its `values`.
 */
export interface NamedQuery {
  name: string;
  text: string;
}
