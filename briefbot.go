// Package briefbot is the vocabulary of major-matter requests and reports: matters, their
// ledger numbers and life, instructions, assignments, feedback, the organisation, the
// house rules, the coded errors every other package speaks, and the ledger's contract
// (filters, pages, deliveries, dispatches, audit entries and the service interfaces a
// storage engine implements). It imports only the standard library.
package briefbot

import (
	"fmt"
	"sync"
	"time"
)

// Lang is the language a member reads: Chinese first, English available.
type Lang string

// Languages the bot speaks. The zero value reads as Chinese.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// ParseLang returns the language named by s ("zh", "en", "中文", "english"...); anything
// unknown is Chinese, the default.
func ParseLang(s string) Lang {
	switch s {
	case "en", "EN", "en-US", "en-GB", "english", "English":
		return LangEN
	}
	return LangZH
}

// Text is one user-facing sentence in both languages. Every package keeps its
// sentences as Text values in one catalogue file, so translators find them together.
type Text struct {
	ZH string
	EN string
}

// In returns the text in lang, falling back to Chinese when no English is given.
func (t Text) In(lang Lang) string {
	if lang == LangEN && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// Format returns the text in lang formatted with args (fmt verbs); with no args it is In.
func (t Text) Format(lang Lang, args ...any) string {
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

// Both returns the text formatted with args in each language, as a Text.
func (t Text) Both(args ...any) Text {
	return Text{ZH: t.Format(LangZH, args...), EN: t.Format(LangEN, args...)}
}

// DefaultZone is the time zone the bot works in unless configured otherwise.
const DefaultZone = "Asia/Shanghai"

// DefaultLocation returns Asia/Shanghai, or a fixed UTC+8 zone of the same name if the
// zone database is missing (cmd/briefbot embeds time/tzdata, so it never is there).
func DefaultLocation() *time.Location { return defaultLocation() }

// defaultLocation is loaded once: loading parses the zone's rules, and the calendar
// asks for it on every submission.
var defaultLocation = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation(DefaultZone); err == nil {
		return loc
	}
	return time.FixedZone(DefaultZone, 8*60*60)
})
