package briefbot

import "slices"

// Permission is something a member may or may not do with a matter.
type Permission string

// Permissions, each decided by Org.Allowed.
const (
	PermView      Permission = "view"       // know of the matter and see its content
	PermSubmit    Permission = "submit"     // submit it for its department
	PermDraft     Permission = "draft"      // draft it for its department's heads to submit
	PermRead      Permission = "read"       // 圈阅 it as a leader of a committee it is before
	PermInstruct  Permission = "instruct"   // 批示 and 转办 it as a leader of its addressee
	PermRecordFor Permission = "record_for" // record a leader's 批示 / 圈阅 on their behalf (代录)
	PermReport    Permission = "report"     // report on its assignment (落实反馈, 延期, 办结)
	PermDecide    Permission = "decide"     // decide its follow-through (延期, 销号, 退办)
)

// Permissions lists every permission, in the order the matrix shows them.
var Permissions = []Permission{PermView, PermDraft, PermSubmit, PermRead, PermInstruct, PermRecordFor, PermReport, PermDecide}

// Allowed is the one authorizer: it decides whether member who may do p with matter
// m. Rules.Take asks it for every step where the step is applied; outputs ask it
// before they show anything. Nothing else decides.
//
//   - A department's members see its matters and may draft them (where drafts are
//     enabled); its principal and heads also submit them and report on assignments
//     given to it (as lead or assisting unit).
//   - 向谁请示向谁答复: the addressee's leaders instruct (批示) and refer (转办) what is
//     addressed to their committee, and its clerks (the general office) record for
//     them and decide the follow-through. A committee that is only copied (抄送) sees
//     the matter: its leaders may 圈阅 it, and its clerks record that for them.
//   - 回避: a leader does not instruct or 圈阅 a matter their own department submitted.
//   - A restricted matter (限定知悉范围) is seen only by its list and its submitter:
//     nobody else may do anything with it, nor learn that it exists.
//   - An admin sees no matter content for being an admin.
func (o *Org) Allowed(who MemberID, p Permission, m *Matter) bool {
	if who == "" {
		return false
	}
	if p != PermSubmit && p != PermDraft && !o.CanSee(who, m) {
		return false
	}
	switch p {
	case PermView:
		return true
	case PermSubmit:
		d, ok := o.Department(m.Department)
		return ok && d.IsHead(who)
	case PermDraft: // whether drafting is switched on is the intake rules' business
		d, ok := o.Department(m.Department)
		return ok && d.Has(who)
	case PermRead:
		return !o.Recused(who, m) && slices.ContainsFunc(o.CommitteesBefore(m), func(c *Committee) bool { return c.IsLeader(who) })
	case PermInstruct:
		c, ok := o.Committee(m.Addressee)
		return ok && c.IsLeader(who) && !o.Recused(who, m)
	case PermRecordFor:
		return slices.ContainsFunc(o.CommitteesBefore(m), func(c *Committee) bool { return c.IsClerk(who) })
	case PermDecide:
		c, ok := o.Committee(m.Addressee)
		return ok && c.IsClerk(who)
	case PermReport:
		if m.Assignment == nil {
			return false
		}
		return len(o.UnitsHeadedBy(who, m.Assignment.Units())) > 0
	}
	return false
}

// Recused reports whether who must stand aside from answering m (回避): they belong to
// the department that submitted it.
func (o *Org) Recused(who MemberID, m *Matter) bool {
	d, ok := o.Department(m.Department)
	return ok && d.Has(who)
}

// ClerkFor reports whether clerk may record for leader on m: both serve one committee
// m is before.
func (o *Org) ClerkFor(clerk, leader MemberID, m *Matter) bool {
	return slices.ContainsFunc(o.CommitteesBefore(m), func(c *Committee) bool { return c.IsClerk(clerk) && c.IsLeader(leader) })
}

// UnitsHeadedBy returns those of units who is principal or head of.
func (o *Org) UnitsHeadedBy(who MemberID, units []DepartmentID) []DepartmentID {
	var out []DepartmentID
	for _, u := range units {
		if d, ok := o.Department(u); ok && d.IsHead(who) {
			out = append(out, u)
		}
	}
	return out
}

// MayBrief reports whether who may compile, preview and approve committee's briefings:
// its clerks.
func (o *Org) MayBrief(who MemberID, committee CommitteeID) bool {
	c, ok := o.Committee(committee)
	return ok && c.IsClerk(who)
}

// IsAdmin reports whether who administers the bot (config reload, backups).
func (o *Org) IsAdmin(who MemberID) bool {
	m, ok := o.Member(who)
	return ok && m.Admin
}

// Conflicts lists the members who lead a committee and also belong to a department
// that submits to it: they stand aside (回避) from that department's matters, which
// `config check` points out.
func (o *Org) Conflicts() []Conflict {
	var out []Conflict
	for _, c := range o.Committees {
		for _, l := range c.Leaders {
			for _, d := range o.DepartmentsOf(l) {
				out = append(out, Conflict{Leader: l, Committee: c.ID, Department: d.ID})
			}
		}
	}
	return out
}

// Conflict is a leader of a committee who belongs to a submitting department.
type Conflict struct {
	Leader     MemberID
	Committee  CommitteeID
	Department DepartmentID
}
