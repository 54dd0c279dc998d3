/** An error in what the user asked for: exit status 2 on the CLI, a message on the page. */
export class InputError extends Error {
  override name = 'InputError';
}
