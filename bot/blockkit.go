package bot

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Block Kit limits (../shared/reference/slack.md section 7).
const (
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxSectionText   = 3000
	maxHeaderText    = 150
	maxFieldText     = 2000
	maxFields        = 10
	maxIDLen         = 255
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxOptions       = 100
	maxOptionText    = 75
	maxOptionValue   = 150
	maxActions       = 25
	maxContext       = 10
	maxLabel         = 2000
	maxPlaceholder   = 150
	maxViewTitle     = 24
	maxMetadata      = 3000
	maxMessageText   = 4000
)

// ValidateMessage reports every way a message breaks Slack's Block Kit limits.
func ValidateMessage(m Message) error {
	var p problems
	if n := len(m.Blocks); n > maxMessageBlocks {
		p.add("message: %d blocks; at most %d", n, maxMessageBlocks)
	}
	if n := utf8.RuneCountInString(m.Text); n > maxMessageText {
		p.add("message text: %d characters; keep it within %d", n, maxMessageText)
	}
	p.blocks("blocks", m.Blocks)
	return p.err()
}

// ValidateView reports every way a modal or Home tab breaks Slack's limits.
func ValidateView(v slack.ModalViewRequest) error {
	var p problems
	if n := len(v.Blocks.BlockSet); n > maxViewBlocks {
		p.add("view: %d blocks; at most %d", n, maxViewBlocks)
	}
	for name, t := range map[string]*slack.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if t != nil && utf8.RuneCountInString(t.Text) > maxViewTitle {
			p.add("view %s: %q longer than %d", name, t.Text, maxViewTitle)
		}
	}
	if v.Type == slack.VTModal && v.Title == nil {
		p.add("modal without a title")
	}
	if n := len(v.PrivateMetadata); n > maxMetadata {
		p.add("private_metadata: %d characters; at most %d", n, maxMetadata)
	}
	if len(v.CallbackID) > maxIDLen {
		p.add("callback_id longer than %d", maxIDLen)
	}
	hasInput := false
	for _, b := range v.Blocks.BlockSet {
		hasInput = hasInput || b.BlockType() == slack.MBTInput
	}
	if hasInput && v.Type == slack.VTModal && v.Submit == nil {
		p.add("a modal with input blocks needs a submit button")
	}
	p.blocks("view.blocks", v.Blocks.BlockSet)
	if b, _ := json.Marshal(v); len(b) > 250_000 {
		p.add("view payload %d bytes; at most 250 kB", len(b))
	}
	return p.err()
}

// ValidateHome reports every way a Home tab breaks Slack's limits.
func ValidateHome(v slack.HomeTabViewRequest) error {
	return ValidateView(slack.ModalViewRequest{Type: slack.VTModal, Title: plain("home"), Blocks: v.Blocks, PrivateMetadata: v.PrivateMetadata, CallbackID: v.CallbackID})
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("block kit: %s", strings.Join(p, "; "))
}

// blocks walks the JSON form of the blocks, so every block and element type is
// checked the same way, including ones built elsewhere.
func (p *problems) blocks(where string, bs []slack.Block) {
	raw, err := json.Marshal(bs)
	if err != nil {
		p.add("%s: %v", where, err)
		return
	}
	var list []map[string]any
	if err := json.Unmarshal(raw, &list); err != nil {
		p.add("%s: %v", where, err)
		return
	}
	for i, b := range list {
		p.block(fmt.Sprintf("%s[%d]", where, i), b)
	}
}

func (p *problems) block(at string, b map[string]any) {
	typ, _ := b["type"].(string)
	p.id(at+".block_id", b["block_id"])
	switch typ {
	case "section":
		if t := textOf(b["text"]); t == nil && b["fields"] == nil {
			p.add("%s: section without text or fields", at)
		} else if t != nil {
			p.text(at+".text", t, 1, maxSectionText)
		}
		if fs, ok := b["fields"].([]any); ok {
			if len(fs) > maxFields {
				p.add("%s: %d fields; at most %d", at, len(fs), maxFields)
			}
			for j, f := range fs {
				p.text(fmt.Sprintf("%s.fields[%d]", at, j), textOf(f), 1, maxFieldText)
			}
		}
		if acc, ok := b["accessory"].(map[string]any); ok {
			p.element(at+".accessory", acc)
		}
	case "header":
		p.text(at+".text", textOf(b["text"]), 1, maxHeaderText)
	case "context":
		es, _ := b["elements"].([]any)
		if len(es) == 0 || len(es) > maxContext {
			p.add("%s: %d context elements; 1 to %d", at, len(es), maxContext)
		}
		for j, e := range es {
			p.text(fmt.Sprintf("%s.elements[%d]", at, j), textOf(e), 1, maxSectionText)
		}
	case "actions":
		es, _ := b["elements"].([]any)
		if len(es) == 0 || len(es) > maxActions {
			p.add("%s: %d action elements; 1 to %d", at, len(es), maxActions)
		}
		for j, e := range es {
			if m, ok := e.(map[string]any); ok {
				p.element(fmt.Sprintf("%s.elements[%d]", at, j), m)
			}
		}
	case "input":
		p.text(at+".label", textOf(b["label"]), 1, maxLabel)
		if h := textOf(b["hint"]); h != nil {
			p.text(at+".hint", h, 1, maxLabel)
		}
		if e, ok := b["element"].(map[string]any); ok {
			p.element(at+".element", e)
		} else {
			p.add("%s: input without an element", at)
		}
	case "divider", "image", "rich_text", "markdown":
	default:
		p.add("%s: unknown block type %q", at, typ)
	}
}

func (p *problems) element(at string, e map[string]any) {
	p.id(at+".action_id", e["action_id"])
	if t := textOf(e["placeholder"]); t != nil {
		p.text(at+".placeholder", t, 1, maxPlaceholder)
	}
	switch e["type"] {
	case "button":
		p.text(at+".text", textOf(e["text"]), 1, maxButtonText)
		if v, _ := e["value"].(string); utf8.RuneCountInString(v) > maxButtonValue {
			p.add("%s.value: longer than %d", at, maxButtonValue)
		}
	case "static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow":
		opts, _ := e["options"].([]any)
		limit := maxOptions
		if e["type"] == "checkboxes" || e["type"] == "radio_buttons" {
			limit = 10
		}
		if len(opts) == 0 || len(opts) > limit {
			p.add("%s: %d options; 1 to %d", at, len(opts), limit)
		}
		for j, o := range opts {
			om, _ := o.(map[string]any)
			p.text(fmt.Sprintf("%s.options[%d].text", at, j), textOf(om["text"]), 1, maxOptionText)
			if v, _ := om["value"].(string); utf8.RuneCountInString(v) > maxOptionValue || v == "" {
				p.add("%s.options[%d].value: empty or longer than %d", at, j, maxOptionValue)
			}
		}
	case "plain_text_input":
		if ml, ok := e["max_length"].(float64); ok && (ml < 1 || ml > 3000) {
			p.add("%s.max_length: %v not in 1..3000", at, ml)
		}
	}
}

func (p *problems) text(at string, t map[string]any, min, max int) {
	if t == nil {
		p.add("%s: missing", at)
		return
	}
	s, _ := t["text"].(string)
	if n := utf8.RuneCountInString(s); n < min || n > max {
		p.add("%s: %d characters; %d to %d", at, n, min, max)
	}
}

func (p *problems) id(at string, v any) {
	if s, ok := v.(string); ok && len(s) > maxIDLen {
		p.add("%s: longer than %d", at, maxIDLen)
	}
}

func textOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
