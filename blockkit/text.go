package blockkit

import (
	"strings"
	"unicode/utf8"
)

// mrkdwnEscaper escapes what Slack's mrkdwn would act on in user text: the three
// characters that make links and mentions (<!channel>, <@U…>, <http://…|forged>), and
// the formatting marks, replaced by their full-width forms so a title cannot bold,
// strike or code-format the message around it.
var mrkdwnEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	"*", "＊", "_", "＿", "~", "～", "`", "｀",
)

// Escape makes user-supplied text safe to put inside mrkdwn. It is the one escaping
// rule of the project: every message and briefing escapes user text with it.
func Escape(s string) string { return mrkdwnEscaper.Replace(s) }

// Cut shortens s to at most n characters, ending it with tail when it had to cut.
func Cut(s string, n int, tail string) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := max(n-utf8.RuneCountInString(tail), 0)
	r := []rune(s)
	return string(r[:keep]) + tail
}

// OneLine folds line breaks and runs of white space into single spaces.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
