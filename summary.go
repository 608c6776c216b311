package briefbot

import "time"

// A Summary is what a list shows of a matter, and all that deciding whether to list
// it reads: Filter.Accepts and Org.CanSee (through Summary.Matter). Lists and
// searches return summaries, which an engine reads from a matter's record without
// decoding the rest of it (the body, the history, the texts of 批示 and feedback); a
// card or a step reads the whole matter (Matters.Matter).
//
// The fields are the Matter's own, under the same names and JSON keys.
type Summary struct {
	ID          uint64        `json:"id"`
	Number      Number        `json:"number,omitzero"`
	Kind        Kind          `json:"kind"`
	ReportType  ReportType    `json:"report_type,omitempty"`
	Title       string        `json:"title"`
	Department  DepartmentID  `json:"department"`
	Submitter   MemberID      `json:"submitter"`
	Unsigned    bool          `json:"unsigned,omitempty"`
	Urgency     Urgency       `json:"urgency,omitempty"`
	Addressee   CommitteeID   `json:"addressee"`
	Copied      []CommitteeID `json:"copied,omitempty"`
	AnswerBy    time.Time     `json:"answer_by,omitzero"`
	Restricted  []MemberID    `json:"restricted,omitempty"`
	SkippedBody CommitteeID   `json:"skipped_body,omitempty"`
	Status      Status        `json:"status"`
	SubmittedAt time.Time     `json:"submitted_at,omitzero"`
	Assignment  *Assignment   `json:"assignment,omitempty"`
}

// Summary returns what a list shows of m. It shares m's slices.
func (m *Matter) Summary() *Summary {
	return &Summary{
		ID: m.ID, Number: m.Number, Kind: m.Kind, ReportType: m.ReportType, Title: m.Title,
		Department: m.Department, Submitter: m.Submitter, Unsigned: m.Unsigned, Urgency: m.Urgency,
		Addressee: m.Addressee, Copied: m.Copied, AnswerBy: m.AnswerBy, Restricted: m.Restricted,
		SkippedBody: m.SkippedBody, Status: m.Status, SubmittedAt: m.SubmittedAt, Assignment: m.Assignment,
	}
}

// Matter returns a matter holding only the summary's fields, for the predicates
// written on matters that read no others: Filter.Accepts, Org.CanSee and
// Org.Allowed(…, PermView, …), Matter.DueAt and Overdue. It shares s's slices.
func (s *Summary) Matter() *Matter {
	return &Matter{
		ID: s.ID, Number: s.Number, Kind: s.Kind, ReportType: s.ReportType, Title: s.Title,
		Department: s.Department, Submitter: s.Submitter, Unsigned: s.Unsigned, Urgency: s.Urgency,
		Addressee: s.Addressee, Copied: s.Copied, AnswerBy: s.AnswerBy, Restricted: s.Restricted,
		SkippedBody: s.SkippedBody, Status: s.Status, SubmittedAt: s.SubmittedAt, Assignment: s.Assignment,
	}
}

// DueAt is Matter.DueAt.
func (s *Summary) DueAt() time.Time {
	m := Matter{Kind: s.Kind, Status: s.Status, AnswerBy: s.AnswerBy, Assignment: s.Assignment}
	return m.DueAt()
}

// Overdue is Matter.Overdue.
func (s *Summary) Overdue(now time.Time) bool {
	d := s.DueAt()
	return !d.IsZero() && now.After(d)
}
