package briefings

// Escape makes user-supplied text safe to put inside Slack mrkdwn (see escape). It is
// the one escaping rule of the project: the bot's messages use it too.
func Escape(s string) string { return escape(s) }
