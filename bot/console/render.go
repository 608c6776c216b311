package console

import (
	"fmt"
	"strings"

	"github.com/briefbot/briefbot/blockkit"
)

// clickable is a button the console shows as [label value], pressed by typing
// `/click label value`: named by what it does and the matter it does it to, so the
// name means the same button in any session.
type clickable struct {
	actionID, value, label string
}

// name is how the button is shown and pressed.
func (k clickable) name() string {
	if k.value == "" {
		return k.label
	}
	return k.label + " " + k.value
}

// unescape undoes Slack's &amp; &lt; &gt; for the terminal.
var unescape = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

// plainText turns mrkdwn into terminal text: our own *bold* marks are dropped (user
// text had its marks made full-width by blockkit.Escape, so none of them are touched).
func plainText(s string) string {
	return unescape.Replace(strings.ReplaceAll(s, "*", ""))
}

func textOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return s
}

func list(v any) []any {
	switch l := v.(type) {
	case []any:
		return l
	case []blockkit.Block:
		out := make([]any, len(l))
		for i, b := range l {
			out[i] = b
		}
		return out
	}
	return nil
}

// render writes blocks as readable text and returns the buttons it showed.
func render(w *strings.Builder, blocks []blockkit.Block) []clickable {
	var clicks []clickable
	button := func(e any) string {
		b, _ := e.(map[string]any)
		if b["type"] != "button" {
			return ""
		}
		id, _ := b["action_id"].(string)
		value, _ := b["value"].(string)
		k := clickable{actionID: id, value: value, label: textOf(b["text"])}
		clicks = append(clicks, k)
		return "[" + k.name() + "]"
	}
	for _, b := range blocks {
		switch b["type"] {
		case "header":
			fmt.Fprintf(w, "【%s】\n", textOf(b["text"]))
		case "section":
			t := textOf(b["text"])
			w.WriteString(plainText(t))
			for i, f := range list(b["fields"]) {
				if i > 0 || t != "" {
					w.WriteString("\n")
				}
				label, value, _ := strings.Cut(textOf(f), "\n")
				fmt.Fprintf(w, "%s：%s", plainText(label), plainText(value))
			}
			if acc := b["accessory"]; acc != nil {
				if s := button(acc); s != "" {
					w.WriteString("  " + s)
				}
			}
			w.WriteString("\n")
		case "context":
			for _, e := range list(b["elements"]) {
				for _, line := range strings.Split(plainText(textOf(e)), "\n") {
					fmt.Fprintf(w, "  %s\n", line)
				}
			}
		case "divider":
			w.WriteString("────────────────\n")
		case "actions":
			var parts []string
			for _, e := range list(b["elements"]) {
				if s := button(e); s != "" {
					parts = append(parts, s)
				}
			}
			if len(parts) > 0 {
				w.WriteString(strings.Join(parts, " ") + "\n")
			}
		}
	}
	return clicks
}
