package bot

import (
	"strings"
	"time"

	"github.com/briefbot/briefbot"
)

// view is one interaction's frame: who asks, in which language, against which
// directory, at what time. Rendering functions take it instead of the Bot so they stay
// plain functions of their inputs.
type view struct {
	me   *briefbot.Member
	dir  *Directory
	lang briefbot.Lang
	now  time.Time
	loc  *time.Location
}

func (b *Bot) frame(me *briefbot.Member, dir *Directory) *view {
	return &view{me: me, dir: dir, lang: dir.lang(me), now: b.now(), loc: b.loc}
}

func (v *view) tr(t text, args ...any) string { return tr(v.lang, t, args...) }

func (v *view) member(id briefbot.MemberID) string {
	if m, ok := v.dir.Org.Member(id); ok && m.Name != "" {
		return m.Name
	}
	return string(id)
}

func (v *view) dept(id string) string {
	if d, ok := v.dir.Org.Department(id); ok {
		if v.lang == briefbot.LangEN && d.NameEN != "" {
			return d.NameEN
		}
		return d.Name
	}
	return id
}

func (v *view) committee(id string) string {
	if c, ok := v.dir.Org.Committee(id); ok {
		if v.lang == briefbot.LangEN && c.NameEN != "" {
			return c.NameEN
		}
		return c.Name
	}
	return id
}

func (v *view) committees(ids []string) string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, v.committee(id))
	}
	return v.join(ns)
}

func (v *view) depts(ids []string) string {
	var ns []string
	for _, id := range ids {
		ns = append(ns, v.dept(id))
	}
	return v.join(ns)
}

func (v *view) join(ss []string) string {
	if len(ss) == 0 {
		return v.tr(msgNone)
	}
	if v.lang == briefbot.LangEN {
		return strings.Join(ss, ", ")
	}
	return strings.Join(ss, "、")
}

func (v *view) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.loc).Format("2006-01-02")
}

func (v *view) datetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.loc).Format("2006-01-02 15:04")
}

// kindLabel is the kind with the report subtype, e.g. 报告（情况报告）.
func (v *view) kindLabel(m *briefbot.Matter) string {
	s := m.Kind.Label(v.lang)
	if m.Kind == briefbot.KindReport && m.ReportType != "" {
		if v.lang == briefbot.LangEN {
			return m.ReportType.Label(v.lang)
		}
		s += "（" + m.ReportType.Label(v.lang) + "）"
	}
	return s
}
