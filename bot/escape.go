package bot

import (
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot/briefings"
	"github.com/slack-go/slack"
)

// Escape makes user-supplied text safe to put inside mrkdwn: the three characters
// that make links and mentions (<!channel>, <@U…>, <http://…|forged>) are escaped, and
// the formatting marks replaced by their full-width forms so a title cannot bold,
// strike or code-format the message around it. Briefings escape the same way.
func Escape(s string) string { return briefings.Escape(s) }

// cut shortens s to at most n characters, ending it with tail when it had to cut.
func cut(s string, n int, tail string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	keep := n - utf8.RuneCountInString(tail)
	if keep < 0 {
		keep = 0
	}
	r := []rune(s)
	return string(r[:keep]) + tail
}

// oneLine folds line breaks into spaces, for titles and summaries in lists.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, cut(s, maxSectionText, "…"), false, false)
}

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func section(s string) *slack.SectionBlock { return slack.NewSectionBlock(mrkdwn(s), nil, nil) }

func header(s string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(plain(cut(s, maxHeaderText, "…")))
}

func contextBlock(s string) *slack.ContextBlock {
	return slack.NewContextBlock("", mrkdwn(cut(s, maxSectionText, "…")))
}

func button(label, actionID, value string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, value, plain(cut(label, 75, "…")))
}

func textMessage(s string) Message {
	return Message{Text: s, Blocks: []slack.Block{section(s)}}
}
