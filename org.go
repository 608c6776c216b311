package briefbot

import "slices"

// MemberID identifies a person in the org config (not their Slack ID, which may change).
type MemberID string

// Member is a person the bot knows.
type Member struct {
	ID      MemberID
	Name    string
	SlackID string // Slack user ID, e.g. U0123ABCD; empty for console-only members
	Lang    Lang   // preferred language; zero is Chinese
	Admin   bool   // may manage config and backups; sees no matter content by default
}

// Committee is a leadership body that receives matters: the party committee or the
// political-legal commission.
type Committee struct {
	ID      string
	Name    string // e.g. 党组
	NameEN  string
	Office  string // the compiling office named on briefings, e.g. 办公室
	Leaders []MemberID
	Clerks  []MemberID
	Channel string // Slack channel ID the committee's briefings go to
	// Audience is who else reads that channel. Content goes to the channel only when
	// every one of them, and the committee's leaders and clerks, may see it; anything
	// else appears there as a placeholder.
	Audience []MemberID
}

// Department is a submitting unit.
type Department struct {
	ID        string
	Name      string
	NameEN    string
	Principal MemberID // 主要负责人: the only valid signatory
	Heads     []MemberID
	Members   []MemberID
}

// Org is who is who: committees, departments and members. Build it with its fields and
// treat it as read-only once in use.
type Org struct {
	Name        string
	Committees  []Committee
	Departments []Department
	Members     []Member
}

// Member returns the member with id.
func (o *Org) Member(id MemberID) (*Member, bool) {
	for i := range o.Members {
		if o.Members[i].ID == id {
			return &o.Members[i], true
		}
	}
	return nil, false
}

// MemberBySlackID returns the member whose Slack user ID is slackID.
func (o *Org) MemberBySlackID(slackID string) (*Member, bool) {
	if slackID == "" {
		return nil, false
	}
	for i := range o.Members {
		if o.Members[i].SlackID == slackID {
			return &o.Members[i], true
		}
	}
	return nil, false
}

// Committee returns the committee with id.
func (o *Org) Committee(id string) (*Committee, bool) {
	for i := range o.Committees {
		if o.Committees[i].ID == id {
			return &o.Committees[i], true
		}
	}
	return nil, false
}

// Department returns the department with id.
func (o *Org) Department(id string) (*Department, bool) {
	for i := range o.Departments {
		if o.Departments[i].ID == id {
			return &o.Departments[i], true
		}
	}
	return nil, false
}

// DepartmentsOf returns the departments id belongs to, as principal, head or member.
func (o *Org) DepartmentsOf(id MemberID) []*Department {
	var ds []*Department
	for i := range o.Departments {
		d := &o.Departments[i]
		if d.Principal == id || slices.Contains(d.Heads, id) || slices.Contains(d.Members, id) {
			ds = append(ds, d)
		}
	}
	return ds
}

// IsHead reports whether id may submit for department dept: its principal or a head.
func (d *Department) IsHead(id MemberID) bool {
	return d.Principal == id || slices.Contains(d.Heads, id)
}

// IsLeader reports whether id is one of the committee's leaders.
func (c *Committee) IsLeader(id MemberID) bool { return slices.Contains(c.Leaders, id) }

// IsClerk reports whether id is one of the committee's clerks.
func (c *Committee) IsClerk(id MemberID) bool { return slices.Contains(c.Clerks, id) }

// CanSee reports whether member id may know of matter m at all. Until the full
// authorizer arrives, the rule is the plain one of the domain: the submitter and the
// people of the submitting department; the leaders and clerks of the addressee and the
// copied committees; the people of the departments it is assigned to. A restricted
// matter (限定知悉范围) is seen only by its list and its submitter.
func (o *Org) CanSee(id MemberID, m *Matter) bool {
	if id == "" {
		return false
	}
	if m.Submitter == id {
		return true
	}
	if len(m.Restricted) > 0 {
		return slices.Contains(m.Restricted, id)
	}
	inDept := func(dept string) bool {
		d, ok := o.Department(dept)
		return ok && (d.Principal == id || slices.Contains(d.Heads, id) || slices.Contains(d.Members, id))
	}
	if inDept(m.Department) {
		return true
	}
	for _, c := range append([]string{m.Addressee}, m.Copied...) {
		if cm, ok := o.Committee(c); ok && (cm.IsLeader(id) || cm.IsClerk(id)) {
			return true
		}
	}
	if a := m.Assignment; a != nil {
		for _, d := range append([]string{a.Lead}, a.Assisting...) {
			if inDept(d) {
				return true
			}
		}
	}
	return false
}

// CommitteesOf returns the committees id leads or clerks for.
func (o *Org) CommitteesOf(id MemberID) []*Committee {
	var cs []*Committee
	for i := range o.Committees {
		if c := &o.Committees[i]; c.IsLeader(id) || c.IsClerk(id) {
			cs = append(cs, c)
		}
	}
	return cs
}

// HeadOf returns the departments id may submit for: those it is principal or head of.
func (o *Org) HeadOf(id MemberID) []*Department {
	var ds []*Department
	for i := range o.Departments {
		if d := &o.Departments[i]; d.IsHead(id) {
			ds = append(ds, d)
		}
	}
	return ds
}

// ChannelMaySee reports whether matter m may be shown in committee c's channel: every
// member of its audience — the committee's leaders and clerks and anyone declared —
// may see it.
func (o *Org) ChannelMaySee(c *Committee, m *Matter) bool {
	for _, group := range [][]MemberID{c.Leaders, c.Clerks, c.Audience} {
		for _, id := range group {
			if !o.Allowed(id, PermView, m) {
				return false
			}
		}
	}
	return true
}
