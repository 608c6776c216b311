package bot

import (
	"encoding/json"
	"fmt"

	"github.com/briefbot/briefbot"
	"github.com/slack-go/slack"
)

// alert is the dispatch escalating an urgent matter (特急, or a 要情专报) at once: to its
// committee's channel and to each of its leaders by DM; nil for any other matter. It
// still appears in the next briefing. A restricted matter goes to the channel only as
// a placeholder, and by DM only to leaders on its list.
func (v *view) alert(m *briefbot.Matter) *briefbot.Dispatch {
	if !m.Urgent() {
		return nil
	}
	c, ok := v.dir.Org.Committee(m.Addressee)
	if !ok {
		return nil
	}
	// Alerts are read by the committee's people: in the org's language.
	av := &view{me: v.me, dir: v.dir, lang: v.dir.lang(nil), now: v.now, loc: v.loc}
	d := &briefbot.Dispatch{Kind: briefbot.DispatchAlert, Committee: c.ID, Matters: []uint64{m.ID}, SlotKey: fmt.Sprintf("alert/%d", m.ID)}
	if c.Channel != "" {
		d.Parts = append(d.Parts, av.alertPart("", m, len(m.Restricted) > 0 || !v.dir.Org.ChannelMaySee(c, m)))
	}
	for _, l := range c.Leaders {
		if m.VisibleTo(l) {
			d.Parts = append(d.Parts, av.alertPart("@"+string(l), m, false))
		}
	}
	if len(d.Parts) == 0 {
		return nil
	}
	return d
}

// alertPart is the alert message for one destination.
func (v *view) alertPart(channel string, m *briefbot.Matter, placeholder bool) briefbot.Part {
	var msg Message
	label := m.Urgency.Label(v.lang)
	if m.Kind == briefbot.KindReport && m.ReportType == briefbot.ReportPriority {
		label = m.ReportType.Label(v.lang)
	}
	if placeholder {
		line := v.tr(msgAlertRestricted, label, m.Number, Escape(v.dept(m.Department)))
		msg = Message{Text: line, Blocks: []slack.Block{section(line)}}
	} else {
		head := v.tr(msgAlertHead, label, m.Number, Escape(cut(oneLine(m.Title), 200, "…")))
		summary := m.Body
		if m.Kind == briefbot.KindRequest {
			summary = m.RequestedItem
		}
		body := fmt.Sprintf("%s\n%s · %s\n%s", head, Escape(v.dept(m.Department)), v.kindLabel(m), Escape(cut(oneLine(summary), 300, "…")))
		msg = Message{Text: head, Blocks: []slack.Block{
			section(body),
			slack.NewActionBlock("", button(v.tr(msgButtonStatus), actionStatus, m.Number.String())),
		}}
	}
	blocks, _ := json.Marshal(msg.Blocks)
	return briefbot.Part{Channel: channel, Text: msg.Text, Blocks: blocks}
}
