package briefings

import (
	"strings"
	"unicode/utf8"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
)

// Message is one Slack message of a briefing: the fallback text and the Block Kit
// blocks, as plain JSON-able values the transport posts as they are.
type Message = blockkit.Message

// What BlockKit aims for in each message, a margin below Slack's limits (blockkit.Validate
// checks the limits themselves).
const (
	packBlocks  = 44   // of 50 blocks; two more may follow (thread note, distribution)
	packChars   = 8000 // cumulative block text; Slack refuses messages around 12,000
	packSection = 2900 // of 3000 per section text
	packHeader  = 140  // of 150 per header
	packText    = 3000 // of 4000 for the fallback text
	packContext = 1000 // per context element
)

// Action IDs of the item buttons; each button's value is the item's ledger number.
const (
	ActionInstruct = "instruct" // 批示
	ActionRead     = "read"     // 圈阅
	ActionStatus   = "status"   // 详情: the matter's card
)

// BlockKit renders the briefing as Slack messages. The first is the parent: header,
// meta, summary counts and the first items; the rest are replies in its thread, each
// starting with a context line naming the briefing. Each item is a section followed
// by an actions block with its buttons: instruct and read where the state machine
// allows them, details always. Every message keeps within Slack's limits with a
// margin (Validate checks them); every user-supplied string is escaped.
func (b *Briefing) BlockKit() []Message {
	p := &packer{}
	p.add(headerBlock(b.heading()))
	meta := []string{b.compiler() + b.tr(strFieldSep) + b.date()}
	meta = append(meta, b.notes()...)
	for i := range meta {
		meta[i] = escape(meta[i])
	}
	p.add(contextBlock(meta...))
	p.add(b.summaryBlock())
	p.add(dividerBlock(), 0)

	replyHeads := b.packItems(p)
	if foot := b.foot(); len(foot) > 0 {
		var es []string
		for _, l := range foot {
			es = append(es, escape(cutRunes(l, packContext, "…")))
		}
		p.add(dividerBlock(), 0)
		p.add(contextBlock(es...))
	}
	p.flush()

	msgs := p.msgs
	heading := escape(b.heading())
	msgs[0].Text = cutRunes(escape(b.tr(strFallback, b.heading(), b.summaryLine())), packText, "…")
	if len(msgs) > 1 {
		rest := b.Counts.Listed - p.itemsIn0
		note, _ := contextBlock(escape(b.tr(strMoreInThread, rest, len(msgs)-1)))
		msgs[0].Blocks = append(msgs[0].Blocks, note)
	}
	for i, rh := range replyHeads {
		t := b.tr(strReplyHeader, heading, i+2, len(msgs))
		rh["elements"].([]any)[0].(map[string]any)["text"] = t
		msgs[i+1].Text = t
	}
	return msgs
}

// packItems adds the briefing's sections and items to p, each item a section and its
// buttons, starting a reply in the thread whenever a message is full. It returns the
// context blocks that head the replies, to be filled in once their number is known.
func (b *Briefing) packItems(p *packer) []map[string]any {
	ss := b.shown()
	if len(ss) == 0 {
		p.add(sectionBlock(escape(b.tr(strNothing))))
	}
	var replyHeads []map[string]any
	var inSection *Section
	items := b.itemMrkdwn()
	buttons := b.buttons()
	for n, s := range ss {
		title := b.sectionTitle(n, s)
		shown, left := b.inSlack(s)
		for i := range shown {
			it := &shown[i]
			text := items.text(i, it)
			textN := runeCount(text)
			if textN > packSection {
				text = forceCut(text, packSection, escape(pointer(b.Lang, it.Number)))
				textN = runeCount(text)
			}
			sec, secN := map[string]any{"type": "section", "text": mrkdwnText(text)}, textN
			act, actN := buttons.block(it)
			blocks, chars := 2, secN+actN
			head, headN := map[string]any(nil), 0
			if inSection != s {
				head, headN = sectionBlock("*" + escape(title+b.sectionCount(s)) + "*")
				blocks, chars = blocks+1, chars+headN
			}
			if !p.fits(blocks, chars) {
				p.flush()
				rh, rhN := contextBlock("")
				replyHeads = append(replyHeads, rh)
				p.add(rh, rhN+40)
				suffix := b.sectionCount(s)
				if i > 0 {
					suffix = b.tr(strContinued)
				}
				head, headN = sectionBlock("*" + escape(title+suffix) + "*")
			}
			if head != nil {
				p.add(head, headN)
				inSection = s
			}
			p.add(sec, secN)
			p.add(act, actN)
		}
		if left > 0 {
			more, moreN := contextBlock(b.moreItems(s, left))
			if !p.fits(2, moreN+len(title)+10) {
				p.flush()
				rh, rhN := contextBlock("")
				replyHeads = append(replyHeads, rh)
				p.add(rh, rhN+40)
				p.add(sectionBlock("*" + escape(title+b.tr(strContinued)) + "*"))
			}
			p.add(more, moreN)
		}
	}
	return replyHeads
}

// summaryLine is the summary counts in one line, for the fallback text.
func (b *Briefing) summaryLine() string {
	var parts []string
	for _, r := range b.summary() {
		parts = append(parts, r.label+b.tr(strColon)+r.value)
	}
	return strings.Join(parts, b.tr(strClauseSep))
}

// summaryBlock is the summary counts as a section with one field per figure.
func (b *Briefing) summaryBlock() (map[string]any, int) {
	var fields []any
	n := 0
	for _, r := range b.summary() {
		t := "*" + escape(r.label) + "*\n" + escape(r.value)
		fields = append(fields, mrkdwnText(t))
		n += utf8.RuneCountInString(t)
	}
	title := "*" + escape(b.tr(strSummary)) + "*"
	if note := b.summaryNote(); note != "" {
		title += "\n" + escape(note)
	}
	n += utf8.RuneCountInString(title)
	return map[string]any{"type": "section", "text": mrkdwnText(title), "fields": fields}, n
}

// buttons makes the items' actions blocks. The button labels' text objects are made
// once and shared by every button of the briefing: treat the blocks as read-only.
type buttons struct {
	instruct, read, details map[string]any
	chars                   [3]int
}

func (b *Briefing) buttons() *buttons {
	var bs buttons
	for i, p := range []struct {
		m     *map[string]any
		label text
	}{{&bs.instruct, strButtonInstruct}, {&bs.read, strButtonRead}, {&bs.details, strButtonDetails}} {
		l := cutRunes(b.tr(p.label), 70, "…")
		*p.m = plainText(l)
		bs.chars[i] = utf8.RuneCountInString(l)
	}
	return &bs
}

// block is an item's actions block: instruct and read where the state machine allows
// them, details always; each button's value is the ledger number.
func (bs *buttons) block(it *Item) (map[string]any, int) {
	var num any = ledger(it.Number) // boxed once for the three buttons
	es := make([]any, 0, 3)
	n := 0
	if _, ok := briefbot.NextFor(it.Kind, it.Status, briefbot.ActionInstruct); ok {
		es = append(es, map[string]any{"type": "button", "text": bs.instruct, "action_id": ActionInstruct, "value": num, "style": "primary"})
		n += bs.chars[0]
	}
	if _, ok := briefbot.NextFor(it.Kind, it.Status, briefbot.ActionRead); ok {
		es = append(es, map[string]any{"type": "button", "text": bs.read, "action_id": ActionRead, "value": num})
		n += bs.chars[1]
	}
	es = append(es, map[string]any{"type": "button", "text": bs.details, "action_id": ActionStatus, "value": num})
	n += bs.chars[2]
	return map[string]any{"type": "actions", "elements": es}, n
}

// packer fills messages with blocks, starting a new message when the next group of
// blocks would not fit.
type packer struct {
	msgs     []Message
	blocks   []map[string]any
	chars    int
	items    int // items in the message being filled
	itemsIn0 int // items in the parent
}

func (p *packer) add(block map[string]any, chars int) {
	p.blocks = append(p.blocks, block)
	p.chars += chars
	if block["type"] == "actions" {
		p.items++
	}
}

func (p *packer) fits(blocks, chars int) bool {
	return len(p.blocks)+blocks <= packBlocks && p.chars+chars <= packChars
}

func (p *packer) flush() {
	if len(p.msgs) == 0 {
		p.itemsIn0 = p.items
	}
	p.msgs = append(p.msgs, Message{Blocks: p.blocks})
	p.blocks, p.chars, p.items = nil, 0, 0
}

// Block builders. Each returns the block and the characters of text it carries.

func mrkdwnText(s string) map[string]any { return map[string]any{"type": "mrkdwn", "text": s} }

func plainText(s string) map[string]any {
	return map[string]any{"type": "plain_text", "text": s, "emoji": true}
}

func headerBlock(s string) (map[string]any, int) {
	s = cutRunes(s, packHeader, "…")
	return map[string]any{"type": "header", "text": plainText(s)}, utf8.RuneCountInString(s)
}

func sectionBlock(s string) (map[string]any, int) {
	s = cutRunes(s, packSection, "…")
	return map[string]any{"type": "section", "text": mrkdwnText(s)}, utf8.RuneCountInString(s)
}

func contextBlock(texts ...string) (map[string]any, int) {
	es := make([]any, 0, len(texts))
	n := 0
	for _, t := range texts[:min(len(texts), 10)] {
		t = cutRunes(t, packContext, "…")
		if t == "" {
			t = " "
		}
		es = append(es, mrkdwnText(t))
		n += utf8.RuneCountInString(t)
	}
	return map[string]any{"type": "context", "elements": es}, n
}

func dividerBlock() map[string]any { return map[string]any{"type": "divider"} }
