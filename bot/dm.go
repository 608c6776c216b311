package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/blockkit"
	"github.com/briefbot/briefbot/files"
)

// dmIdle is how long a DM intake conversation waits for the next answer.
const dmIdle = 30 * time.Minute

// dmIntake is one member's step-by-step intake conversation in a DM. The ledger keeps
// it between messages (briefbot.Conversations: answers already checked, no matter
// until the member confirms), so that whichever replica gets the next message carries
// it on and a restart loses nothing. mu is held while a message of the conversation is
// handled: a member's messages are answered one at a time.
type dmIntake struct {
	mu    sync.Mutex
	m     *briefbot.Matter
	steps []dmStep
	done  []bool // done[i]: the answer to steps[i] is in m
	at    int    // the step asked now; len(steps) once all are answered (the summary)
	key   string // the delivery key of its submission: one conversation, one matter
	last  time.Time
	ended bool // cancelled, submitted or expired: the next message starts afresh
	// version is the ledger's version of the conversation this copy holds (0: not
	// kept); chooseDept, whether it asks the department (its steps depend on it).
	version    uint64
	chooseDept bool
	// staged are the files shared so far (m.Files), fetched and not yet committed:
	// committed when the matter is submitted, discarded when the conversation ends
	// any other way.
	staged staged
}

// unstaged drops from the matter the files staged neither here nor kept in fs, and
// says how many; the conversation then asks for its files again.
func (c *dmIntake) unstaged(fs *files.Store) int {
	var here []string
	for _, st := range c.staged {
		sum, _, _ := st.Done()
		here = append(here, sum)
	}
	n := len(c.m.Files)
	c.m.Files = slices.DeleteFunc(c.m.Files, func(f briefbot.File) bool {
		return !slices.Contains(here, f.SHA256) && (fs == nil || !fs.Has(f.SHA256))
	})
	missing := n - len(c.m.Files)
	if missing > 0 {
		for i, st := range c.steps {
			if st.field == briefbot.FieldFiles {
				c.done[i], c.at = false, i
			}
		}
	}
	return missing
}

// drop discards the conversation's staged files.
func (c *dmIntake) drop() {
	c.staged.discard()
	c.staged = nil
}

// keepStaged discards the staged files m no longer holds (an answer “none” to the
// files question).
func (c *dmIntake) keepStaged() {
	var keep staged
	for _, st := range c.staged {
		sum, _, _ := st.Done()
		if slices.ContainsFunc(c.m.Files, func(f briefbot.File) bool { return f.SHA256 == sum }) {
			keep = append(keep, st)
		} else {
			st.Discard()
		}
	}
	c.staged = keep
}

// next is the first step that applies to the matter and has no answer yet, or
// len(steps): the summary. A step that no longer applies (the first report, once the
// report is no longer a 续报) loses its answer, so it is asked again if it applies
// again.
func (c *dmIntake) next() int {
	at := len(c.steps)
	for i, st := range c.steps {
		switch {
		case !st.applies(c.m):
			c.done[i] = false
		case !c.done[i] && at == len(c.steps):
			at = i
		}
	}
	return at
}

// asked lists the steps that apply to the matter, in order: the summary numbers
// them from 1, and “修改 N” names one.
func (c *dmIntake) asked() []int {
	var out []int
	for i, st := range c.steps {
		if st.applies(c.m) {
			out = append(out, i)
		}
	}
	return out
}

// dmState is a conversation as the ledger keeps it.
type dmState struct {
	Matter     *briefbot.Matter `json:"matter"`
	Done       []bool           `json:"done"`
	At         int              `json:"at"`
	Key        string           `json:"key"`
	Last       time.Time        `json:"last"`
	ChooseDept bool             `json:"choose_dept,omitempty"`
}

// open returns v.me's conversation in progress, locked, or nil; expired says one
// timed out (it is dropped). The copy is brought up to date with the ledger's first:
// the last message may have reached another replica.
func (s *dmSessions) open(ctx context.Context, v *view) (conv *dmIntake, expired bool, err error) {
	id := v.me.ID
	s.mu.Lock()
	conv = s.m[id]
	if conv == nil && s.kept != nil {
		conv = &dmIntake{ended: true} // to lock on while the ledger is read
		s.put(id, conv)
	}
	s.mu.Unlock()
	if conv == nil {
		return nil, false, nil
	}
	conv.mu.Lock()
	wasOpen, last := !conv.ended, conv.last
	if err := s.refresh(ctx, v, conv); err != nil {
		conv.mu.Unlock()
		return nil, false, err
	}
	if conv.ended {
		conv.mu.Unlock()
		return nil, wasOpen && v.Now.Sub(last) > dmIdle, nil
	}
	if v.Now.Sub(conv.last) > dmIdle {
		conv.ended = true
		conv.drop()
		err := s.persist(ctx, id, conv)
		conv.mu.Unlock()
		return nil, true, err
	}
	return conv, false, nil
}

// put makes conv id's conversation; s.mu is held.
func (s *dmSessions) put(id briefbot.MemberID, conv *dmIntake) {
	if s.m == nil {
		s.m = map[briefbot.MemberID]*dmIntake{}
	}
	s.m[id] = conv
}

// refresh brings conv (held locked) up to the ledger's copy: none kept ends it; a
// newer one replaces its answers (and its staged files, if it is another
// conversation).
func (s *dmSessions) refresh(ctx context.Context, v *view, conv *dmIntake) error {
	if s.kept == nil {
		return nil
	}
	raw, version, err := s.kept.Conversation(ctx, v.me.ID)
	switch {
	case err != nil:
		return err
	case version == 0:
		if !conv.ended {
			conv.ended = true
			conv.drop()
		}
		return nil
	case version == conv.version && !conv.ended:
		return nil
	}
	var st dmState
	if err := json.Unmarshal(raw, &st); err != nil || st.Matter == nil {
		return briefbot.Internal("read the DM conversation", err)
	}
	if st.Key != conv.key {
		conv.drop()
	}
	steps := v.dmSteps(st.Matter.Kind, st.ChooseDept)
	if len(st.Done) != len(steps) {
		st.Done = make([]bool, len(steps)) // the steps changed with this build: ask again
	}
	conv.m, conv.steps, conv.done, conv.key, conv.last, conv.chooseDept = st.Matter, steps, st.Done, st.Key, st.Last, st.ChooseDept
	conv.at, conv.version, conv.ended = min(st.At, len(steps)), version, false
	return nil
}

// persist keeps conv (held locked) in the ledger, or ends it there once ended. A
// conversation another replica carried on meanwhile is not overwritten
// (ECONFLICT): this copy is stale, and the next message reads the ledger's.
func (s *dmSessions) persist(ctx context.Context, id briefbot.MemberID, conv *dmIntake) error {
	if s.kept == nil {
		return nil
	}
	var state []byte
	if !conv.ended {
		var err error
		if state, err = json.Marshal(dmState{Matter: conv.m, Done: conv.done, At: conv.at, Key: conv.key, Last: conv.last, ChooseDept: conv.chooseDept}); err != nil {
			return briefbot.Internal("keep the DM conversation", err)
		}
	} else if conv.version == 0 {
		return nil // never kept
	}
	version, err := s.kept.SaveConversation(ctx, id, state, conv.version, conv.last.Add(dmIdle))
	if err != nil {
		conv.version = 0 // stale: read again
		return err
	}
	conv.version = version
	return nil
}

// start makes conv member's conversation, replacing any other, and keeps it.
func (s *dmSessions) start(ctx context.Context, id briefbot.MemberID, conv *dmIntake) error {
	s.mu.Lock()
	old := s.m[id]
	s.put(id, conv)
	s.mu.Unlock()
	if old != nil && old != conv {
		old.mu.Lock()
		old.ended = true
		old.drop()
		old.mu.Unlock()
	}
	if s.kept == nil {
		return nil
	}
	_, version, err := s.kept.Conversation(ctx, id) // replaced, wherever it was
	if err != nil {
		return err
	}
	conv.version = version
	return s.persist(ctx, id, conv)
}

// end drops conv, if it is still member's conversation. conv.ended must be set.
func (s *dmSessions) end(id briefbot.MemberID, conv *dmIntake) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[id] == conv && s.kept == nil {
		delete(s.m, id)
	}
}

// answerWord is an answer folded for comparing with the words the conversation knows:
// trimmed, lower case, without a closing full stop or exclamation mark.
func answerWord(s string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(s), "。.!！"))
}

func isCancel(s string) bool {
	switch answerWord(s) {
	case "cancel", "取消", "退出", "quit":
		return true
	}
	return false
}

// isSkip reports whether s answers an optional question with “nothing”.
func isSkip(s string) bool {
	switch answerWord(s) {
	case "", "无", "没有", "不", "否", "跳过", "none", "no", "n/a", "skip", "-":
		return true
	}
	return false
}

func isSubmit(s string) bool {
	switch answerWord(s) {
	case "提交", "确认", "是", "submit", "yes":
		return true
	}
	return false
}

// editNumber reads “修改 N” (also 修改第N项, 改 N, edit N, change N); ok says the
// answer asks to change one, n is 0 if it does not say which.
func editNumber(s string) (n int, ok bool) {
	s = answerWord(s)
	for _, w := range []string{"修改", "更改", "改", "edit", "change"} {
		if rest, ok := strings.CutPrefix(s, w); ok {
			rest = strings.TrimSpace(rest)
			rest = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(rest, "第"), "项"), "条")
			n, _ = strconv.Atoi(strings.TrimSpace(rest))
			return n, true
		}
	}
	return 0, false
}

// DM answers a direct message: the next answer of an intake conversation in progress,
// or a command.
func (b *Bot) DM(ctx context.Context, in CommandInput) (resp Response) {
	defer b.recover("dm", &resp)
	v, refusal, ok := b.who(in.User)
	if !ok {
		return refusal
	}
	conv, expired, err := b.dms.open(ctx, v)
	if err != nil {
		return say(b.errorText(err, v.Lang, "dm"))
	}
	if conv == nil {
		in.CanOpenModal = false
		if !b.firstDelivery(ctx, in.DeliveryKey) {
			return Response{Ignore: true}
		}
		r := say(v.T(msgDMFileNoConv))
		if len(in.Files) == 0 {
			r = b.command1(ctx, v, in)
		}
		if expired && r.Message != nil {
			r.Message.Text = v.T(msgDMExpired) + "\n" + r.Message.Text
			r.Message.Blocks = append([]blockkit.Block{blockkit.Section(v.T(msgDMExpired))}, r.Message.Blocks...)
		}
		return r
	}
	defer conv.mu.Unlock()
	if !b.firstDelivery(ctx, in.DeliveryKey) {
		return Response{Ignore: true}
	}
	msg, ok := blockkit.Message{}, true
	if len(in.Files) > 0 {
		msg = b.dmFiles(ctx, v, conv, in.Files)
	} else {
		msg, ok = b.dmAnswer(ctx, v, conv, in.Text)
	}
	if err := b.dms.persist(ctx, v.me.ID, conv); err != nil {
		return say(b.errorText(err, v.Lang, "dm"))
	}
	if !ok {
		return Response{}
	}
	return reply(msg)
}

// startDM begins a step-by-step intake of kind for v.me. The matter starts with what
// the form starts with: the department v.me heads, decided collectively, ordinary
// urgency. Who signs it off is the sign-off's to record.
func (b *Bot) startDM(ctx context.Context, v *view, kind briefbot.Kind) string {
	m := &briefbot.Matter{Kind: kind, Submitter: v.me.ID, Decision: briefbot.DecisionCollective, Urgency: briefbot.UrgencyOrdinary}
	heads := v.rules.Org.HeadOf(v.me.ID)
	if len(heads) == 1 {
		m.Department = heads[0].ID
	}
	steps := v.dmSteps(kind, len(heads) > 1)
	conv := &dmIntake{m: m, steps: steps, done: make([]bool, len(steps)), key: "dm:" + string(v.me.ID) + ":" + newIncidentID(), last: v.Now,
		chooseDept: len(heads) > 1}
	conv.at = conv.next()
	if err := b.dms.start(ctx, v.me.ID, conv); err != nil {
		return b.errorText(err, v.Lang, "dm start")
	}
	return v.T(msgDMStart, kind.Label(v.Lang)) + "\n\n" + conv.steps[conv.at].prompt(v, m)
}

// dmAnswer reads one answer of conv (held locked) and says what comes next: the next
// question, the same question again with the reason it was refused, the summary, or
// the end. ok is false once the matter is submitted: the receipt comes by DM.
func (b *Bot) dmAnswer(ctx context.Context, v *view, conv *dmIntake, answer string) (msg blockkit.Message, ok bool) {
	conv.last = v.Now
	if isCancel(answer) {
		b.endDM(v, conv)
		return blockkit.Text(v.T(msgDMCancelled)), true
	}
	if briefbot.HasClassificationMarking(answer) {
		// Refuse and forget at once: the text is neither kept nor echoed.
		return v.dmAgain(conv, v.T(msgDMClassified)), true
	}
	answer = strings.TrimSpace(answer)
	if conv.at < len(conv.steps) {
		return b.dmStepAnswer(ctx, v, conv, answer), true
	}
	// All answered: the summary waits for 提交 or 修改 N.
	if n, ok := editNumber(answer); ok {
		asked := conv.asked()
		if n < 1 || n > len(asked) {
			return v.dmSummary(conv, v.T(msgDMBadEdit, len(asked))), true
		}
		conv.at = asked[n-1]
		return blockkit.Text(conv.steps[conv.at].prompt(v, conv.m)), true
	}
	if !isSubmit(answer) {
		return v.dmSummary(conv, ""), true
	}
	return b.dmSubmit(ctx, v, conv)
}

// dmAgain says note and asks the current question again (or shows the summary).
func (v *view) dmAgain(conv *dmIntake, note string) blockkit.Message {
	if conv.at < len(conv.steps) {
		return blockkit.Text(note + "\n\n" + conv.steps[conv.at].prompt(v, conv.m))
	}
	return v.dmSummary(conv, note)
}

// dmStepAnswer reads the answer to the current question into a copy of the matter and
// checks it against the intake rules; only an answer they accept is kept. A refused
// answer is asked again with the reason, and nothing answered before is lost.
func (b *Bot) dmStepAnswer(ctx context.Context, v *view, conv *dmIntake, answer string) blockkit.Message {
	st := conv.steps[conv.at]
	m := conv.m.Clone()
	err := st.read(v, m, answer)
	if err == nil {
		err = b.dmCheck(ctx, v, m, st.field)
	}
	switch {
	case err == nil:
	case briefbot.ErrorCode(err) == briefbot.EINTERNAL:
		return blockkit.Text(b.errorText(err, v.Lang, "dm check"))
	case briefbot.ErrorReason(err) == reasonNotDeclared:
		// No declaration, no matter: the conversation ends here, and nothing was kept.
		b.endDM(v, conv)
		return blockkit.Text(v.T(msgDMNotDeclared))
	default:
		return v.dmAgain(conv, problems(err, v.Lang))
	}
	conv.m, conv.done[conv.at] = m, true
	if st.field == briefbot.FieldFiles {
		conv.keepStaged()
	}
	conv.at = conv.next()
	if conv.at < len(conv.steps) {
		return blockkit.Text(conv.steps[conv.at].prompt(v, conv.m))
	}
	return v.dmSummary(conv, "")
}

// dmCheck applies to the answer just read into m the rules the form applies: what
// CheckIntake finds wrong with field (the fields not yet answered are not looked at),
// and for numbers of other matters, CheckRefs on a matter holding just them, so a
// matter v.me may not see answers exactly as one that does not exist.
func (b *Bot) dmCheck(ctx context.Context, v *view, m *briefbot.Matter, field string) error {
	var fe []briefbot.FieldError
	if err := briefbot.CheckIntake(m, &v.rules.Org, v.rules.Intake, v.Now); err != nil {
		for _, f := range briefbot.ErrorFields(err) {
			if f.Field == field && !slices.Contains(fe, f) {
				fe = append(fe, f)
			}
		}
	}
	if len(fe) > 0 {
		return &briefbot.Error{Code: briefbot.EINVALID, Reason: briefbot.ReasonIntake, Msg: fe[0].Msg, Fields: fe}
	}
	switch field {
	case briefbot.FieldRelated:
		return v.rules.CheckRefs(ctx, b.ledger, v.me.ID, &briefbot.Matter{Related: m.Related})
	case briefbot.FieldFollowUpOf:
		return v.rules.CheckRefs(ctx, b.ledger, v.me.ID, &briefbot.Matter{FollowUpOf: m.FollowUpOf})
	}
	return nil
}

// problems is what err says is wrong: each field's problem once, or its message.
func problems(err error, lang briefbot.Lang) string {
	var msgs []string
	for _, f := range briefbot.ErrorFields(err) {
		if msg := f.Msg.In(lang); !slices.Contains(msgs, msg) {
			msgs = append(msgs, msg)
		}
	}
	if len(msgs) == 0 {
		return briefbot.ErrorMessage(err, lang)
	}
	return strings.Join(msgs, " ")
}

// dmSubmit checks the whole matter as the form's submission is checked and stores it.
// It works on a copy: a refused submission leaves the answers as they were given (a
// request's default answer deadline is given only to what is stored).
func (b *Bot) dmSubmit(ctx context.Context, v *view, conv *dmIntake) (blockkit.Message, bool) {
	m := conv.m.Clone()
	err := v.rules.CheckSubmission(v.me.ID, m, v.Now)
	if err == nil {
		err = v.rules.CheckRefs(ctx, b.ledger, v.me.ID, m)
	}
	if err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINTERNAL {
			return blockkit.Text(b.errorText(err, v.Lang, "dm submit")), true
		}
		if briefbot.ErrorCode(err) == briefbot.EFORBIDDEN {
			b.endDM(v, conv)
			return blockkit.Text(briefbot.ErrorMessage(err, v.Lang)), true
		}
		return b.dmFix(v, conv, err), true
	}
	// A file shared while another replica held the conversation is staged there, not
	// here: unless the file store already has it, it must be shared again.
	if missing := conv.unstaged(b.files); missing > 0 {
		return blockkit.Text(v.T(msgDMFileAgain, missing) + "\n\n" + conv.steps[conv.at].prompt(v, conv.m)), true
	}
	// The files shared are kept now, just before the ledger write.
	if err := conv.staged.commit(); err != nil {
		conv.staged = nil
		return blockkit.Text(b.errorText(err, v.Lang, "dm submit")), true
	}
	conv.staged = nil
	res, asked, err := b.submitNew(ctx, v, m, briefbot.Delivery{Key: conv.key})
	if err != nil {
		if briefbot.ErrorCode(err) == briefbot.EINVALID {
			return b.dmFix(v, conv, err), true
		}
		return blockkit.Text(b.errorText(err, v.Lang, "dm submit")), true
	}
	b.endDM(v, conv)
	if asked && !res.Duplicate { // no receipt yet: say where it went
		return blockkit.Text(v.askedSignOff(res.Matter)), true
	}
	return blockkit.Message{}, false
}

// dmFix says what the rules refused at submission (what changed since the answer was
// checked: the org reloaded, a related matter's circulation restricted) and asks the
// first question that can fix it; its answer leads back to the summary. A problem no
// question can fix ends the conversation.
func (b *Bot) dmFix(v *view, conv *dmIntake, err error) blockkit.Message {
	back := -1
	for _, f := range briefbot.ErrorFields(err) {
		for _, i := range conv.asked() {
			if conv.steps[i].field == f.Field && (back < 0 || i < back) {
				back = i
			}
		}
	}
	out := v.T(msgDMFix, problems(err, v.Lang))
	if back < 0 {
		b.endDM(v, conv)
		return blockkit.Text(out + "\n" + v.T(msgDMCancelled))
	}
	conv.at = back
	return blockkit.Text(out + "\n\n" + conv.steps[back].prompt(v, conv.m))
}

// endDM ends conv (held locked), discarding any file it staged.
func (b *Bot) endDM(v *view, conv *dmIntake) {
	conv.ended = true
	conv.drop()
	b.dms.end(v.me.ID, conv)
}

// dmShown is how much of one answer the summary shows: every answer fits in one
// message within Slack's limits.
const dmShown = 800

// dmSummary shows every answer, numbered for “修改 N”, and what was not asked (the
// kind, the signatory), and asks for the confirmation; note, if any, comes first.
func (v *view) dmSummary(conv *dmIntake, note string) blockkit.Message {
	m := conv.m
	head := v.T(msgDMConfirmAsk)
	if note != "" {
		head = note + "\n\n" + head
	}
	fixed := []string{v.labelled(msgCardKind, m.Kind.Label(v.Lang))}
	if !slices.ContainsFunc(conv.asked(), func(i int) bool { return conv.steps[i].field == briefbot.FieldDepartment }) {
		fixed = append(fixed, v.labelled(msgCardDept, v.Dept(m.Department)))
	}
	fixed = append(fixed, v.labelled(msgCardSigned, v.signOffPlan(m)))
	blocks := []blockkit.Block{blockkit.Section(head), blockkit.Section(strings.Join(fixed, "\n"))}
	for n, i := range conv.asked() {
		st := conv.steps[i]
		blocks = append(blocks, blockkit.Section(fmt.Sprintf("%d. ", n+1)+v.labelled(st.label, blockkit.Cut(st.show(v, m), dmShown, "…"))))
	}
	blocks = append(blocks, blockkit.Section(v.T(msgDMConfirmHow)))
	return blockkit.Message{Text: v.T(msgDMConfirmAsk), Blocks: blocks}
}

// labelled is “*label*：value” (value escaped), with the reader's punctuation.
func (v *view) labelled(label text, value string) string {
	sep := "："
	if v.Lang == briefbot.LangEN {
		sep = ": "
	}
	return "*" + v.T(label) + "*" + sep + blockkit.Escape(value)
}

// signOffPlan says how m will be signed off if v.me submits it now.
func (v *view) signOffPlan(m *briefbot.Matter) string {
	c := m.Clone()
	switch v.rules.SignOff(v.me.ID, c, v.Now) {
	case briefbot.SignedNow:
		if c.Delegated {
			return v.T(msgDMSignYouDelegated)
		}
		return v.T(msgDMSignYou)
	case briefbot.UnsignedFirst:
		return v.T(msgDMSignAfter, v.Join(names(v, v.rules.Signatories(c, v.Now))))
	case briefbot.AskSignOff:
		return v.T(msgDMSignAsk, v.Join(names(v, v.rules.Signatories(c, v.Now))))
	}
	return v.T(msgDMSignNone)
}
