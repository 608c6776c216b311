package slacktest

import (
	"fmt"
	"unicode/utf8"

	"github.com/briefbot/briefbot/blockkit"
)

// Limits enforced (slack.md section 7), from the one table (package blockkit). This is
// a light check of the limits a bot most often hits, answered as Slack answers; the
// full validator is blockkit's.
const (
	maxMessageBlocks  = blockkit.MaxMessageBlocks
	maxViewBlocks     = blockkit.MaxViewBlocks
	maxSectionText    = blockkit.MaxSectionText
	maxSectionFields  = blockkit.MaxFields
	maxFieldText      = blockkit.MaxFieldText
	maxHeaderText     = blockkit.MaxHeaderText
	maxBlockID        = blockkit.MaxIDLen
	maxActionElements = blockkit.MaxActions
	maxContextElems   = blockkit.MaxContext
	maxViewTitle      = blockkit.MaxViewTitle
	maxPrivateMeta    = blockkit.MaxMetadata
	maxCallbackID     = blockkit.MaxIDLen
	maxMessageText    = 40000 // what Slack accepts before truncating (MaxMessageText is what we aim for)
	maxViewBytes      = blockkit.MaxViewBytes
)

// checkMessageBlocks returns Slack-style error messages for a message's blocks.
func checkMessageBlocks(blocks []any) []string {
	var msgs []string
	if len(blocks) > maxMessageBlocks {
		msgs = append(msgs, fmt.Sprintf("[ERROR] no more than %d items allowed [json-pointer:/blocks]", maxMessageBlocks))
	}
	return append(msgs, checkBlocks(blocks, "/blocks")...)
}

// checkView returns Slack-style error messages for a modal or Home tab view.
func checkView(view map[string]any) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf("[ERROR] "+format, args...)) }
	typ, _ := view["type"].(string)
	if typ != "modal" && typ != "home" {
		add("must be one of modal, home [json-pointer:/view/type]")
	}
	if typ == "modal" {
		if _, ok := view["title"].(map[string]any); !ok {
			add("missing required field: title [json-pointer:/view/title]")
		}
	}
	for _, k := range []string{"title", "submit", "close"} {
		if n := textLen(view[k]); n > maxViewTitle {
			add("must be less than %d characters [json-pointer:/view/%s/text]", maxViewTitle+1, k)
		}
	}
	for _, f := range []struct {
		key   string
		limit int
	}{{"private_metadata", maxPrivateMeta}, {"callback_id", maxCallbackID}, {"external_id", maxCallbackID}} {
		if s, _ := view[f.key].(string); utf8.RuneCountInString(s) > f.limit {
			add("must be less than %d characters [json-pointer:/view/%s]", f.limit+1, f.key)
		}
	}
	blocks, _ := view["blocks"].([]any)
	if len(blocks) > maxViewBlocks {
		add("no more than %d items allowed [json-pointer:/view/blocks]", maxViewBlocks)
	}
	if typ == "modal" && view["submit"] == nil {
		for i, b := range blocks {
			if m, _ := b.(map[string]any); m["type"] == "input" {
				add("must define submit to use input block [json-pointer:/view/blocks/%d/input]", i)
				break
			}
		}
	}
	return append(msgs, checkBlocks(blocks, "/view/blocks")...)
}

// checkBlocks checks the per-block limits.
func checkBlocks(blocks []any, ptr string) []string {
	var msgs []string
	add := func(format string, args ...any) { msgs = append(msgs, fmt.Sprintf("[ERROR] "+format, args...)) }
	seen := map[string]bool{}
	for i, b := range blocks {
		p := fmt.Sprintf("%s/%d", ptr, i)
		m, ok := b.(map[string]any)
		if !ok {
			add("must be an object [json-pointer:%s]", p)
			continue
		}
		typ, _ := m["type"].(string)
		if typ == "" {
			add("missing required field: type [json-pointer:%s]", p)
			continue
		}
		if id, ok := m["block_id"].(string); ok {
			if utf8.RuneCountInString(id) > maxBlockID {
				add("must be less than %d characters [json-pointer:%s/block_id]", maxBlockID+1, p)
			}
			if seen[id] {
				add("duplicate block_id %q [json-pointer:%s/block_id]", id, p)
			}
			seen[id] = true
		}
		switch typ {
		case "section":
			_, hasText := m["text"]
			fields, _ := m["fields"].([]any)
			if !hasText && len(fields) == 0 {
				add("must provide either text or fields [json-pointer:%s]", p)
			}
			if hasText {
				switch n := textLen(m["text"]); {
				case n > maxSectionText:
					add("must be less than %d characters [json-pointer:%s/text/text]", maxSectionText+1, p)
				case n < 1:
					add("must be more than 0 characters [json-pointer:%s/text/text]", p)
				}
			}
			if len(fields) > maxSectionFields {
				add("no more than %d items allowed [json-pointer:%s/fields]", maxSectionFields, p)
			}
			for j, f := range fields {
				if textLen(f) > maxFieldText {
					add("must be less than %d characters [json-pointer:%s/fields/%d/text]", maxFieldText+1, p, j)
				}
			}
		case "header":
			t, _ := m["text"].(map[string]any)
			if t["type"] != "plain_text" {
				add("must be plain_text [json-pointer:%s/text/type]", p)
			}
			if n := textLen(t); n > maxHeaderText {
				add("must be less than %d characters [json-pointer:%s/text/text]", maxHeaderText+1, p)
			} else if n < 1 {
				add("must be more than 0 characters [json-pointer:%s/text/text]", p)
			}
		case "actions":
			if els, _ := m["elements"].([]any); len(els) > maxActionElements {
				add("no more than %d items allowed [json-pointer:%s/elements]", maxActionElements, p)
			}
		case "context":
			if els, _ := m["elements"].([]any); len(els) > maxContextElems {
				add("no more than %d items allowed [json-pointer:%s/elements]", maxContextElems, p)
			}
		}
	}
	return msgs
}

// textLen is the length in characters of a text object's text (or of a string).
func textLen(v any) int {
	switch t := v.(type) {
	case string:
		return utf8.RuneCountInString(t)
	case map[string]any:
		s, _ := t["text"].(string)
		return utf8.RuneCountInString(s)
	}
	return 0
}

// fillIDs gives every block a block_id, and every interactive element an action_id,
// where the bot left them out, as Slack does. It modifies blocks in place.
func fillIDs(blocks []any) []any {
	for i, b := range blocks {
		m, ok := b.(map[string]any)
		if !ok {
			continue
		}
		if id, _ := m["block_id"].(string); id == "" {
			m["block_id"] = fmt.Sprintf("fs-b%d", i)
		}
		var els []any
		switch m["type"] {
		case "input":
			els = []any{m["element"]}
		case "section":
			els = []any{m["accessory"]}
		case "actions":
			els, _ = m["elements"].([]any)
		}
		for j, e := range els {
			em, ok := e.(map[string]any)
			if !ok || !interactive[fmt.Sprint(em["type"])] {
				continue
			}
			if id, _ := em["action_id"].(string); id == "" {
				em["action_id"] = fmt.Sprintf("fs-a%d-%d", i, j)
			}
		}
	}
	return blocks
}

// interactive lists the element types that carry an action_id.
var interactive = map[string]bool{
	"button": true, "checkboxes": true, "datepicker": true, "datetimepicker": true,
	"email_text_input": true, "number_input": true, "overflow": true, "plain_text_input": true,
	"radio_buttons": true, "rich_text_input": true, "timepicker": true, "url_text_input": true,
	"static_select": true, "external_select": true, "users_select": true,
	"conversations_select": true, "channels_select": true,
	"multi_static_select": true, "multi_external_select": true, "multi_users_select": true,
	"multi_conversations_select": true, "multi_channels_select": true,
	"file_input": true, "workflow_button": true,
}
