import type { CommandName } from './args';

const exitCodes = `Exit codes:
  0  success
  1  other failure (server unreachable, unexpected error)
  2  usage error (unknown command or flag, invalid value)
  3  authentication (not logged in, token refused, not allowed)
  4  rate limited (by Switchboard or by the provider) or over a monthly budget
  5  provider error (unknown model, provider failed or not configured)`;

const main = `Usage: switchboard <command> [options]

Commands:
  login                 save the server URL and an API token
  providers             list the providers
  models                list the models
  chat "prompt"         ask and stream the answer (reads stdin when no prompt is given)
  usage                 usage and cost summary
  show CHAT_ID          a chat's branch on screen, with ‹2/3› where a message has other versions
  export                chats as lossless JSON or Markdown
  import [FILE]         chats from an export (reads stdin when no file is given)

Options for every command:
  --json                machine-readable output on stdout
  -h, --help            help for a command (switchboard help chat)

Environment:
  SWITCHBOARD_URL, SWITCHBOARD_TOKEN   override the saved login
  SWITCHBOARD_CONFIG                   config file (default ~/.config/switchboard/config.json)
  NO_COLOR                             no dim usage line

${exitCodes}`;

const topics: Record<CommandName, string> = {
	login: `Usage: switchboard login [--url URL] [--token TOKEN]

Checks the token against the server (auth.me) and saves URL and token in the config file,
readable by you only (mode 0600). Asks for what is missing; a token can also come on stdin:
  echo "$TOKEN" | switchboard login --url https://switchboard.example.com
Create a token in the web UI (Account → API tokens): it may be limited to scopes (chat,
completions, read), an expiry and a list of models. A refused token (expired, out of scope,
model not allowed) exits with code 3 and the server's reason.`,
	providers: `Usage: switchboard providers [--json]

Lists the providers: id, kind, whether enabled and configured, the default, status.`,
	models: `Usage: switchboard models [--provider ID] [--all] [--json]

Lists the enabled models (--all: disabled ones too), with context window and prices per
million tokens.`,
	chat: `Usage: switchboard chat "prompt" [options]
       echo "prompt" | switchboard chat [options]

Streams the answer to stdout as it arrives, then prints who answered, tokens and cost on stderr.
On a terminal, control characters in the answer (escape sequences) are shown as U+FFFD; piped
output is exact.
Options:
  --provider ID         provider (default: the server's default, with fallback)
  --model ID            model (default: the provider's default)
  --temperature N       0 to 2
  --max-tokens N        longest answer, in tokens
  --system TEXT         system prompt for the chat
  --chat ID             continue this chat (default: a new chat)
  --file PATH           attach an image (PNG, JPEG, WebP, GIF: vision models only) or a text
                        file; repeat for more (switchboard chat --file a.png "what is this?")
  --json                print only the final result as JSON
Ctrl+C stops the answer (what arrived is kept).

${exitCodes}`,
	show: `Usage: switchboard show CHAT_ID [--json]

Prints the branch of the chat that is on screen in the web UI, one message after another; a
message with other versions (an edited question, a regenerated or compared answer) shows its
place, e.g. [2/3]. --json prints every message (the whole tree) and the active leaf.`,
	export: `Usage: switchboard export [--chat ID] [--format json|markdown] [-o FILE]

Writes one chat (--chat) or all of yours to stdout or FILE. JSON keeps everything (every branch,
provider and model per message, usage, times) and can be imported again; Markdown is the branch on
screen, for reading.`,
	import: `Usage: switchboard import [FILE] [--json]

Imports a JSON export (from stdin when no FILE is given) as new chats of yours. The file is checked
first; a malformed or oversized one is refused with the reason and nothing is imported.`,
	usage: `Usage: switchboard usage [--group-by provider|model|day|user] [--from DATE] [--to DATE]
                         [--provider ID] [--json]

Requests, tokens, cost and errors. Dates are UTC: 2026-01-31 or 2026-01-31T12:00:00Z;
a bare --to date includes that whole day. --group-by user is for admins.`
};

export function helpText(topic?: CommandName): string {
	return topic ? topics[topic] : main;
}
