package blockkit

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Validate reports every way msgs break Slack's limits for a message: at most 50
// blocks, fallback text within 4000 characters, section text 1-3000 (fields at most
// 10 of 2000), header plain_text within 150, context 1-10 elements, actions 1-25
// elements, button text 1-75 and value within 2000, IDs within 255, block IDs unique
// in their message and action IDs in their block, and the blocks' text within 12,000
// in all. It also checks that each message marshals to JSON. It returns nil if every
// message is within them.
func Validate(msgs ...Message) error {
	var p problems
	if len(msgs) == 0 {
		p.add("no messages")
	}
	for i, m := range msgs {
		at := fmt.Sprintf("message %d", i)
		if n := len(m.Blocks); n == 0 || n > MaxMessageBlocks {
			p.add("%s: %d blocks; 1 to %d", at, n, MaxMessageBlocks)
		}
		if n := utf8.RuneCountInString(m.Text); n == 0 || n > MaxMessageText {
			p.add("%s: text of %d characters; 1 to %d", at, n, MaxMessageText)
		}
		blocks, err := asBlocks(m.Blocks)
		if err != nil {
			p.add("%s: %v", at, err)
		}
		total := 0
		ids := map[string]bool{}
		for j, b := range blocks {
			total += p.block(fmt.Sprintf("%s.blocks[%d]", at, j), b, ids)
		}
		if total > MaxBlockText {
			p.add("%s: %d characters of block text; at most %d", at, total, MaxBlockText)
		}
	}
	return p.err()
}

// ValidateView reports every way a modal or Home tab view (any value that marshals to
// a view's JSON, a Slack client's view request included) breaks Slack's limits.
func ValidateView(view any) error {
	var p problems
	raw, err := json.Marshal(view)
	if err != nil {
		return fmt.Errorf("block kit: %v", err)
	}
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		return fmt.Errorf("block kit: %v", err)
	}
	typ, _ := v["type"].(string)
	blocks := asList(v["blocks"])
	if len(blocks) > MaxViewBlocks {
		p.add("view: %d blocks; at most %d", len(blocks), MaxViewBlocks)
	}
	for _, name := range []string{"title", "submit", "close"} {
		if t := asMap(v[name]); t != nil {
			p.text("view "+name, t, MaxViewTitle, "plain_text")
		}
	}
	if typ == "modal" && v["title"] == nil {
		p.add("a modal without a title")
	}
	if s, _ := v["private_metadata"].(string); len(s) > MaxMetadata {
		p.add("private_metadata: %d characters; at most %d", len(s), MaxMetadata)
	}
	if s, _ := v["callback_id"].(string); len(s) > MaxIDLen {
		p.add("callback_id longer than %d", MaxIDLen)
	}
	hasInput := false
	ids := map[string]bool{}
	for j, b := range blocks {
		bm := asMap(b)
		hasInput = hasInput || bm["type"] == "input"
		p.block(fmt.Sprintf("view.blocks[%d]", j), bm, ids)
	}
	if hasInput && typ == "modal" && v["submit"] == nil {
		p.add("a modal with input blocks needs a submit button")
	}
	if len(raw) > MaxViewBytes {
		p.add("view payload %d bytes; at most %d", len(raw), int(MaxViewBytes))
	}
	return p.err()
}

// asBlocks returns the blocks as the maps they marshal to.
func asBlocks(bs []Block) ([]Block, error) {
	raw, err := json.Marshal(bs)
	if err != nil {
		return nil, err
	}
	var out []Block
	err = json.Unmarshal(raw, &out)
	return out, err
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
		total += p.section(at, b)
	case "header":
		total += p.text(at+".text", asMap(b["text"]), MaxHeaderText, "plain_text")
	case "context":
		es := asList(b["elements"])
		if len(es) == 0 || len(es) > MaxContext {
			p.add("%s: %d context elements; 1 to %d", at, len(es), MaxContext)
		}
		for j, e := range es {
			total += p.text(fmt.Sprintf("%s.elements[%d]", at, j), asMap(e), MaxSectionText, "")
		}
	case "actions":
		total += p.actions(at, b)
	case "input":
		p.text(at+".label", asMap(b["label"]), MaxLabel, "plain_text")
		if h := asMap(b["hint"]); h != nil {
			p.text(at+".hint", h, MaxLabel, "plain_text")
		}
		if e := asMap(b["element"]); e != nil {
			p.element(at+".element", e)
		} else {
			p.add("%s: input without an element", at)
		}
	case "divider", "image", "rich_text", "markdown":
	default:
		p.add("%s: unexpected block type %q", at, typ)
	}
	return total
}

func (p *problems) section(at string, b map[string]any) int {
	total := 0
	t := asMap(b["text"])
	fs := asList(b["fields"])
	if t == nil && fs == nil {
		p.add("%s: section without text or fields", at)
	}
	if t != nil {
		total += p.text(at+".text", t, MaxSectionText, "")
	}
	if len(fs) > MaxFields {
		p.add("%s: %d fields; at most %d", at, len(fs), MaxFields)
	}
	for j, f := range fs {
		total += p.text(fmt.Sprintf("%s.fields[%d]", at, j), asMap(f), MaxFieldText, "")
	}
	if acc := asMap(b["accessory"]); acc != nil {
		total += p.element(at+".accessory", acc)
	}
	return total
}

func (p *problems) actions(at string, b map[string]any) int {
	total := 0
	es := asList(b["elements"])
	if len(es) == 0 || len(es) > MaxActions {
		p.add("%s: %d action elements; 1 to %d", at, len(es), MaxActions)
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
	return total
}

// element checks a block element and returns the characters of text it carries.
func (p *problems) element(at string, e map[string]any) int {
	if id, ok := e["action_id"].(string); ok {
		p.id(at+".action_id", id)
	}
	if t := asMap(e["placeholder"]); t != nil {
		p.text(at+".placeholder", t, MaxPlaceholder, "plain_text")
	}
	switch typ, _ := e["type"].(string); typ {
	case "button":
		n := p.text(at+".text", asMap(e["text"]), MaxButtonText, "plain_text")
		if v, ok := e["value"]; ok {
			if s, ok := v.(string); !ok || utf8.RuneCountInString(s) > MaxButtonValue {
				p.add("%s.value: not a string of at most %d characters", at, MaxButtonValue)
			}
		}
		return n
	case "static_select", "multi_static_select", "checkboxes", "radio_buttons", "overflow":
		p.options(at, typ, e)
	case "plain_text_input":
		if ml, ok := e["max_length"].(float64); ok && (ml < 1 || ml > MaxInputLength) {
			p.add("%s.max_length: %v not in 1..%d", at, ml, MaxInputLength)
		}
	case "file_input":
		if mf, ok := e["max_files"]; ok {
			if n, ok := mf.(float64); !ok || n < 1 || n > MaxFileInputFiles {
				p.add("%s.max_files: %v not in 1..%d", at, mf, MaxFileInputFiles)
			}
		}
		if ft, ok := e["filetypes"]; ok {
			for i, t := range asList(ft) {
				if s, ok := t.(string); !ok || s == "" {
					p.add("%s.filetypes[%d]: not a file type", at, i)
				}
			}
		}
	case "datepicker", "timepicker", "users_select", "multi_users_select", "conversations_select", "channels_select":
	default:
		p.add("%s: unexpected element type %q", at, typ)
	}
	return 0
}

func (p *problems) options(at, typ string, e map[string]any) {
	opts := asList(e["options"])
	limit := MaxOptions
	if typ == "checkboxes" || typ == "radio_buttons" {
		limit = MaxCheckboxes
	}
	if len(opts) == 0 || len(opts) > limit {
		p.add("%s: %d options; 1 to %d", at, len(opts), limit)
	}
	for j, o := range opts {
		om := asMap(o)
		p.text(fmt.Sprintf("%s.options[%d].text", at, j), asMap(om["text"]), MaxOptionText, "")
		if v, _ := om["value"].(string); v == "" || utf8.RuneCountInString(v) > MaxOptionValue {
			p.add("%s.options[%d].value: empty or longer than %d", at, j, MaxOptionValue)
		}
	}
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
	if len(id) == 0 || len(id) > MaxIDLen {
		p.add("%s: %d characters; 1 to %d", at, len(id), MaxIDLen)
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// asList accepts the element lists as built ([]any or []Block) and as decoded from
// JSON ([]any).
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
