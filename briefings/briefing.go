package briefings

import (
	"time"

	"github.com/briefbot/briefbot"
)

// Options is everything Compose needs besides the matters.
type Options struct {
	Org         *briefbot.Org
	Committee   briefbot.CommitteeID
	Year, Issue int       // 第N期 of the year (assigned by the caller); Year 0 is Now's year
	Since       time.Time // the previous briefing's time: reports submitted after it are "new"
	Now         time.Time
	Location    *time.Location // Asia/Shanghai by default (briefbot.DefaultLocation())
	// WorkingDays counts the working days between two instants (the calendar is the
	// caller's), e.g. schedules' Calendar.WorkingDaysBetween. Compose passes both in
	// Location and expects the count to depend only on their dates: it asks once per
	// date. Nil counts calendar days. On a large ledger Compose calls it (and
	// Withheld) from several goroutines at once.
	WorkingDays func(from, to time.Time) int
	Late        bool      // delivered after its scheduled time (catch-up): the header says so
	ScheduledAt time.Time // the slot it was made for (zero for an on-demand briefing)
	Lang        briefbot.Lang
	// SlackItems is how many items of a section Slack shows (BlockKit, Mrkdwn) before
	// a line saying how many more there are and where to see them; the urgent section
	// is always shown in full, and the printable page (HTML) lists every item.
	// 0: DefaultSlackItems.
	SlackItems int
	// Command is the bot's slash command, named in that line (default /matter).
	Command string
	// Withheld, if set, says which matters the briefing lists without their content,
	// as restricted (a restricted matter always is): those that not everyone who reads
	// it may see.
	Withheld func(*briefbot.Matter) bool
}

// SectionKind names one of a briefing's item sections.
type SectionKind string

// The item sections, in the order a briefing shows them. A matter appears in at most
// one: the first that applies in the order urgent, awaiting, new, overdue, instructed
// (an overdue assignment is listed under SectionOverdue, not SectionInstructed).
const (
	SectionUrgent     SectionKind = "urgent"     // 特急件和要情专报: open, extra urgent or a priority report
	SectionAwaiting   SectionKind = "awaiting"   // requests awaiting instruction
	SectionNew        SectionKind = "new"        // reports and filings submitted since the last briefing, not yet read
	SectionInstructed SectionKind = "instructed" // instructed, referred, in progress or completed: follow-through
	SectionOverdue    SectionKind = "overdue"    // referred or in progress past the handling deadline
)

// SectionKinds lists the sections in display order.
var SectionKinds = []SectionKind{SectionUrgent, SectionAwaiting, SectionNew, SectionInstructed, SectionOverdue}

// Briefing is one numbered briefing (简报) for a committee: a format-neutral document,
// safe to store (it marshals to JSON) and to render later. Everything in it is already
// localised to Lang and cut to length; user text in it is raw (unescaped) and every
// renderer escapes it for its own format.
//
// Office is the office that compiles the briefing, in full, as the masthead prints it
// (中共某市委政法委员会办公室编): the committee's office as configured, else the
// organisation's 办公室 (某市中级人民法院办公室; in English "General Office, 某市中级人民法院").
// A briefing stored before offices were named in full has ShortOffice (JSON "office")
// instead, printed after OrgName as it was when issued (某市中级人民法院 + 办公室编), so
// that it renders again as it went out. Compose never sets ShortOffice.
type Briefing struct {
	Lang          briefbot.Lang        `json:"lang"`
	Committee     briefbot.CommitteeID `json:"committee"`
	CommitteeName string               `json:"committee_name"` // in Lang
	OrgName       string               `json:"org_name,omitempty"`
	Office        string               `json:"compiling_office,omitempty"` // in full, as the masthead prints it (see above)
	ShortOffice   string               `json:"office,omitempty"`           // of a briefing stored before Office (see above)
	Title         string               `json:"title"`                      // 重大事项简报, in Lang
	Year          int                  `json:"year"`
	Issue         int                  `json:"issue"`
	Now           time.Time            `json:"now"`            // when it was compiled, in the briefing's zone: its date
	Since         time.Time            `json:"since,omitzero"` // the previous briefing's time
	Late          bool                 `json:"late,omitempty"` // a catch-up of a missed slot
	ScheduledAt   time.Time            `json:"scheduled_at,omitzero"`
	CalendarDays  bool                 `json:"calendar_days,omitempty"` // ages count calendar days, not working days
	Leaders       []string             `json:"leaders,omitempty"`       // 发送: the committee's leaders by name
	Clerks        []string             `json:"clerks,omitempty"`        // 抄送: its clerks by name
	// SlackItems and Command: see Options. A briefing stored before them has 0 and
	// shows every item, as it did.
	SlackItems int    `json:"slack_items,omitempty"`
	Command    string `json:"command,omitempty"`
	// Anchor is the audit chain's head when the briefing was compiled, as printed
	// (briefbot.AuditAnchor): whoever keeps a briefing keeps an anchor to check the
	// ledger against later (briefbot audit verify --head).
	Anchor string `json:"anchor,omitempty"`

	// Sections holds one Section per SectionKinds entry, in that order, empty or not.
	Sections []Section `json:"sections"`
	Counts   Counts    `json:"counts"`
}

// Section is one of the item sections of a briefing.
type Section struct {
	Kind  SectionKind `json:"kind"`
	Items []Item      `json:"items"`
}

// Section returns the section of kind k, or nil if b has none.
func (b *Briefing) Section(k SectionKind) *Section {
	for i := range b.Sections {
		if b.Sections[i].Kind == k {
			return &b.Sections[i]
		}
	}
	return nil
}

// Counts are the briefing's summary figures. Matters that are listed in no section
// (closed, archived, withdrawn, read, returned, drafts, and reports already shown in an
// earlier issue) appear only here.
type Counts struct {
	// Items per section.
	Urgent     int `json:"urgent"`
	Awaiting   int `json:"awaiting"`
	New        int `json:"new"`
	Instructed int `json:"instructed"`
	Overdue    int `json:"overdue"`
	// Listed is the number of items in all sections.
	Listed int `json:"listed"`
	// AwaitingOverdue is how many requests in the Awaiting section are past their
	// answer deadline.
	AwaitingOverdue int `json:"awaiting_overdue"`
	// TotalAwaiting counts every matter of the committee before it unanswered, of any
	// kind, listed or not.
	TotalAwaiting int `json:"total_awaiting"`
	// TotalOverdue counts every matter whose current deadline (answer or handling) has
	// passed.
	TotalOverdue int `json:"total_overdue"`
	// ClosedThisPeriod counts matters closed out or archived after Since.
	ClosedThisPeriod int `json:"closed_this_period"`
	// EarlierAwaiting counts reports and filings submitted before Since that still
	// await reading: shown in an earlier issue, not listed again.
	EarlierAwaiting int `json:"earlier_awaiting"`
	// ByStatus counts every matter addressed or copied to the committee by state,
	// drafts included. It is for the caller; no renderer shows it.
	ByStatus map[briefbot.Status]int `json:"by_status,omitempty"`
}

// Item is one matter as a briefing lists it. When Restricted is set, only Number,
// Kind, Status, Department and Restricted are filled: the content stays out of the
// briefing altogether and renderers show a placeholder line.
type Item struct {
	Number     briefbot.Number     `json:"number"`
	Kind       briefbot.Kind       `json:"kind"`
	ReportType briefbot.ReportType `json:"report_type,omitempty"`
	Status     briefbot.Status     `json:"status"`
	Urgency    briefbot.Urgency    `json:"urgency,omitempty"`
	Department string              `json:"department"` // the submitting department's name
	Restricted bool                `json:"restricted,omitempty"`
	Unsigned   bool                `json:"unsigned,omitempty"`  // 未签发: sent ahead of its sign-off
	Delegated  bool                `json:"delegated,omitempty"` // 授权签发: signed by a delegate

	// Title is one line, at most MaxTitle characters; longer titles are cut with a
	// pointer to the ledger.
	Title string `json:"title,omitempty"`
	// Summary is the first MaxSummary characters of the requested item (requests) or
	// the body, folded to one line, cut with a pointer to the ledger.
	Summary string `json:"summary,omitempty"`

	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	// Age is the number of days (working days unless the briefing counts calendar
	// days) from submission to the briefing.
	Age         int       `json:"age"`
	AnswerBy    time.Time `json:"answer_by,omitzero"` // requests: the answer deadline
	Overdue     bool      `json:"overdue,omitempty"`  // the current deadline has passed
	OverdueDays int       `json:"overdue_days,omitempty"`

	Instruction *InstructionNote `json:"instruction,omitempty"` // the latest instruction or read mark
	Lead        string           `json:"lead,omitempty"`        // 主办: lead unit's name
	Assisting   []string         `json:"assisting,omitempty"`   // 协办: names
	Deadline    time.Time        `json:"deadline,omitzero"`     // handling deadline (extensions included)
	Feedback    *FeedbackNote    `json:"feedback,omitempty"`    // the latest feedback entry

	// Files are the names of the documents attached to the matter: every rendering
	// says how many (附件：N 份), the printable page lists them.
	Files []string `json:"files,omitempty"`
}

// InstructionNote is the latest instruction on an item, shortened.
type InstructionNote struct {
	Kind   briefbot.InstructionKind `json:"kind"`
	Leader string                   `json:"leader"` // name
	Text   string                   `json:"text,omitempty"`
	At     time.Time                `json:"at"`
}

// FeedbackNote is the latest feedback entry on an item, shortened.
type FeedbackNote struct {
	Kind       briefbot.FeedbackKind `json:"kind"`
	Department string                `json:"department,omitempty"` // name
	Text       string                `json:"text,omitempty"`
	At         time.Time             `json:"at"`
}

// Length limits of the texts Compose puts in items, in characters (cut marker included).
const (
	MaxTitle       = 150
	MaxSummary     = 120
	MaxInstruction = 80
	MaxFeedback    = 80
	maxName        = 40 // department and member names from the org config
)
