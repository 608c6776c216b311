package briefings

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Slack's limits on a message (../shared/reference/slack.md section 7).
const (
	maxMessageBlocks = 50
	maxMessageText   = 4000
	maxSectionText   = 3000
	maxFieldText     = 2000
	maxFields        = 10
	maxHeaderText    = 150
	maxContext       = 10
	maxActions       = 25
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxIDLen         = 255
	// maxBlockText is the cumulative text of a message's blocks. Slack documents no
	// limit, but refuses messages with msg_blocks_too_long at around 12,000-13,000.
	maxBlockText = 12000
)

// Validate reports every way msgs break Slack's limits for a message: at most 50
// blocks, fallback text within 4000 characters, section text 1-3000 (fields at most
// 10 of 2000), header plain_text within 150, context 1-10 elements, actions 1-25
// elements, button text 1-75 and value within 2000, IDs within 255 and action IDs
// unique in their block, and the blocks' text within 12,000 in all. It also checks
// that each message marshals to JSON. It returns nil if every message is within them.
func Validate(msgs []Message) error {
	var p problems
	if len(msgs) == 0 {
		p.add("no messages")
	}
	for i, m := range msgs {
		at := fmt.Sprintf("message %d", i)
		if n := len(m.Blocks); n == 0 || n > maxMessageBlocks {
			p.add("%s: %d blocks; 1 to %d", at, n, maxMessageBlocks)
		}
		if n := utf8.RuneCountInString(m.Text); n == 0 || n > maxMessageText {
			p.add("%s: text of %d characters; 1 to %d", at, n, maxMessageText)
		}
		if _, err := json.Marshal(m.Blocks); err != nil {
			p.add("%s: %v", at, err)
		}
		total := 0
		ids := map[string]bool{}
		for j, b := range m.Blocks {
			total += p.block(fmt.Sprintf("%s.blocks[%d]", at, j), b, ids)
		}
		if total > maxBlockText {
			p.add("%s: %d characters of block text; at most %d", at, total, maxBlockText)
		}
	}
	return p.err()
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	const most = 20
	if len(p) > most {
		p = append(p[:most:most], fmt.Sprintf("and %d more", len(p)-most))
	}
	return fmt.Errorf("block kit: %s", strings.Join(p, "; "))
}

// block checks one block and returns the characters of text it carries.
func (p *problems) block(at string, b map[string]any, blockIDs map[string]bool) int {
	if id, ok := b["block_id"].(string); ok {
		p.id(at+".block_id", id)
		if blockIDs[id] {
			p.add("%s.block_id: %q used twice", at, id)
		}
		blockIDs[id] = true
	}
	total := 0
	switch typ, _ := b["type"].(string); typ {
	case "section":
		t := asMap(b["text"])
		fs := asList(b["fields"])
		if t == nil && fs == nil {
			p.add("%s: section without text or fields", at)
		}
		if t != nil {
			total += p.text(at+".text", t, maxSectionText, "")
		}
		if len(fs) > maxFields {
			p.add("%s: %d fields; at most %d", at, len(fs), maxFields)
		}
		for j, f := range fs {
			total += p.text(fmt.Sprintf("%s.fields[%d]", at, j), asMap(f), maxFieldText, "")
		}
		if acc := asMap(b["accessory"]); acc != nil {
			total += p.element(at+".accessory", acc)
		}
	case "header":
		total += p.text(at+".text", asMap(b["text"]), maxHeaderText, "plain_text")
	case "context":
		es := asList(b["elements"])
		if len(es) == 0 || len(es) > maxContext {
			p.add("%s: %d context elements; 1 to %d", at, len(es), maxContext)
		}
		for j, e := range es {
			total += p.text(fmt.Sprintf("%s.elements[%d]", at, j), asMap(e), maxSectionText, "")
		}
	case "actions":
		es := asList(b["elements"])
		if len(es) == 0 || len(es) > maxActions {
			p.add("%s: %d action elements; 1 to %d", at, len(es), maxActions)
		}
		actionIDs := map[string]bool{}
		for j, e := range es {
			em := asMap(e)
			where := fmt.Sprintf("%s.elements[%d]", at, j)
			if em == nil {
				p.add("%s: not an object", where)
				continue
			}
			if id, _ := em["action_id"].(string); id != "" {
				if actionIDs[id] {
					p.add("%s.action_id: %q used twice in the block", where, id)
				}
				actionIDs[id] = true
			}
			total += p.element(where, em)
		}
	case "divider":
	default:
		p.add("%s: unexpected block type %q", at, typ)
	}
	return total
}

// element checks a block element (buttons are all a briefing uses).
func (p *problems) element(at string, e map[string]any) int {
	if id, ok := e["action_id"].(string); ok {
		p.id(at+".action_id", id)
	}
	if e["type"] != "button" {
		p.add("%s: unexpected element type %v", at, e["type"])
		return 0
	}
	n := p.text(at+".text", asMap(e["text"]), maxButtonText, "plain_text")
	if v, ok := e["value"]; ok {
		if s, ok := v.(string); !ok || utf8.RuneCountInString(s) > maxButtonValue {
			p.add("%s.value: not a string of at most %d characters", at, maxButtonValue)
		}
	}
	return n
}

// text checks a text object: its type (plain_text or mrkdwn; only want if given) and
// that its text has 1 to max characters. It returns the length.
func (p *problems) text(at string, t map[string]any, max int, want string) int {
	if t == nil {
		p.add("%s: missing", at)
		return 0
	}
	typ, _ := t["type"].(string)
	if typ != "plain_text" && typ != "mrkdwn" || want != "" && typ != want {
		p.add("%s: text type %q", at, typ)
	}
	s, ok := t["text"].(string)
	n := utf8.RuneCountInString(s)
	if !ok || n < 1 || n > max {
		p.add("%s: %d characters; 1 to %d", at, n, max)
	}
	return n
}

func (p *problems) id(at, id string) {
	if len(id) == 0 || len(id) > maxIDLen {
		p.add("%s: %d characters; 1 to %d", at, len(id), maxIDLen)
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// asList accepts the element lists as built ([]any or []map[string]any) and as
// decoded from JSON ([]any).
func asList(v any) []any {
	switch l := v.(type) {
	case []any:
		return l
	case []map[string]any:
		out := make([]any, len(l))
		for i, m := range l {
			out[i] = m
		}
		return out
	}
	return nil
}
