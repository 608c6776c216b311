package console

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// clickable is a button the console shows as [n], for /click n.
type clickable struct {
	actionID, value, label string
}

// unescape undoes Slack's &amp; &lt; &gt; for the terminal.
var unescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// plainText turns mrkdwn into terminal text: our own *bold* marks are dropped (user
// text had its marks made full-width by bot.Escape, so none of them are touched).
func plainText(s string) string {
	return unescape.Replace(strings.ReplaceAll(s, "*", ""))
}

// render writes blocks as readable text and returns the buttons it numbered, starting
// at first.
func render(w *strings.Builder, blocks []slack.Block, first int) []clickable {
	var clicks []clickable
	addButton := func(b *slack.ButtonBlockElement) string {
		clicks = append(clicks, clickable{actionID: b.ActionID, value: b.Value, label: b.Text.Text})
		return fmt.Sprintf("[%d %s]", first+len(clicks)-1, b.Text.Text)
	}
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			fmt.Fprintf(w, "【%s】\n", b.Text.Text)
		case *slack.SectionBlock:
			if b.Text != nil {
				w.WriteString(plainText(b.Text.Text))
			}
			for i, f := range b.Fields {
				if i > 0 || b.Text != nil {
					w.WriteString("\n")
				}
				label, value, _ := strings.Cut(f.Text, "\n")
				fmt.Fprintf(w, "%s：%s", plainText(label), plainText(value))
			}
			if b.Accessory != nil && b.Accessory.ButtonElement != nil {
				w.WriteString("  " + addButton(b.Accessory.ButtonElement))
			}
			w.WriteString("\n")
		case *slack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					for _, line := range strings.Split(plainText(t.Text), "\n") {
						fmt.Fprintf(w, "  %s\n", line)
					}
				}
			}
		case *slack.DividerBlock:
			w.WriteString("────────────────\n")
		case *slack.ActionBlock:
			var parts []string
			for _, e := range b.Elements.ElementSet {
				if btn, ok := e.(*slack.ButtonBlockElement); ok {
					parts = append(parts, addButton(btn))
				}
			}
			if len(parts) > 0 {
				w.WriteString(strings.Join(parts, " ") + "\n")
			}
		}
	}
	return clicks
}
