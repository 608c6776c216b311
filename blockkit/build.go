package blockkit

// Block is one Block Kit block (or element, or text object) as a JSON-able map.
type Block = map[string]any

// Message is a message as Slack takes it: the blocks, and the fallback text Slack
// shows in notifications (and a console prints when there are no blocks).
type Message struct {
	Text   string  `json:"text"`
	Blocks []Block `json:"blocks,omitempty"`
}

// Text is a message of one section of mrkdwn s (already escaped where it holds user text).
func Text(s string) Message { return Message{Text: s, Blocks: []Block{Section(s)}} }

// Mrkdwn is a mrkdwn text object, cut to a section's limit.
func Mrkdwn(s string) Block {
	return Block{"type": "mrkdwn", "text": Cut(s, MaxSectionText, "…")}
}

// Plain is a plain_text text object.
func Plain(s string) Block { return Block{"type": "plain_text", "text": s} }

// Section is a section of mrkdwn s.
func Section(s string) Block { return Block{"type": "section", "text": Mrkdwn(s)} }

// SectionWith is a section of mrkdwn s with an accessory element.
func SectionWith(s string, accessory Block) Block {
	return Block{"type": "section", "text": Mrkdwn(s), "accessory": accessory}
}

// Fields is a section of mrkdwn fields, at most MaxFields of them, each cut to its limit.
func Fields(fields ...string) Block {
	var fs []any
	for _, f := range fields[:min(len(fields), MaxFields)] {
		fs = append(fs, Block{"type": "mrkdwn", "text": Cut(f, MaxFieldText, "…")})
	}
	return Block{"type": "section", "fields": fs}
}

// Header is a header of plain s, cut to its limit.
func Header(s string) Block {
	return Block{"type": "header", "text": Plain(Cut(s, MaxHeaderText, "…"))}
}

// Context is a context block of one mrkdwn element.
func Context(s string) Block {
	return Block{"type": "context", "elements": []any{Mrkdwn(s)}}
}

// Divider is a divider.
func Divider() Block { return Block{"type": "divider"} }

// Actions is an actions block of buttons (at most MaxActions).
func Actions(elems ...Block) Block {
	es := make([]any, 0, len(elems))
	for _, e := range elems[:min(len(elems), MaxActions)] {
		es = append(es, e)
	}
	return Block{"type": "actions", "elements": es}
}

// Button is a button labelled label (cut to its limit) that sends actionID and value.
func Button(label, actionID, value string) Block {
	return Block{"type": "button", "text": Plain(Cut(label, MaxButtonText, "…")), "action_id": actionID, "value": Cut(value, MaxButtonValue, "")}
}
