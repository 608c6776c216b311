package slacktest

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

// MethodFileDownload is the pseudo method name under which downloads of uploaded
// files (their url_private) are recorded (Calls, WaitFor) and faults are injected
// (Fail: a Status answers that status, Delay waits first).
const MethodFileDownload = "files.download"

// UploadedFile is a file a member uploaded, for Upload.
type UploadedFile struct {
	User    string // who uploaded it (default U1)
	Name    string
	Content []byte
	// Size is the size the file object declares; 0 declares len(Content). A Size
	// other than the content's is a file served longer or shorter than declared.
	Size int
	// URL, if set, is the url_private the file object gives instead of the server's own
	// (an external file, or a host that must never see the bot token).
	URL string
}

type storedFile struct {
	id, name string
	content  []byte
}

// Upload stores f as Slack stores an uploaded file and returns its file object as
// Slack puts it in a file_input's state or a file_share message (id, name, size,
// filetype, url_private, url_private_download). The content is served at
// url_private to the bot token only; any other request is sent to the sign-in page,
// as Slack does.
func (s *Server) Upload(f UploadedFile) map[string]any {
	s.mu.Lock()
	s.fileSeq++
	id := fmt.Sprintf("F%07d", s.fileSeq)
	if s.files == nil {
		s.files = map[string]*storedFile{}
	}
	s.files[id] = &storedFile{id: id, name: f.Name, content: f.Content}
	s.mu.Unlock()
	size := f.Size
	if size == 0 {
		size = len(f.Content)
	}
	user := f.User
	if user == "" {
		user = "U1"
	}
	u := s.base + "/files-pri/" + TeamID + "-" + id + "/" + url.PathEscape(f.Name)
	if f.URL != "" {
		u = f.URL
	}
	typ := strings.ToLower(strings.TrimPrefix(path.Ext(f.Name), "."))
	return map[string]any{
		"id": id, "created": time.Now().Unix(), "timestamp": time.Now().Unix(), "name": f.Name, "title": f.Name,
		"mimetype": "application/octet-stream", "filetype": typ, "pretty_type": strings.ToUpper(typ), "user": user,
		"mode": "hosted", "editable": false, "is_external": f.URL != "", "external_type": "", "is_public": false,
		"size": size, "url_private": u, "url_private_download": u + "?download=1",
	}
}

// serveFile serves an uploaded file's url_private: to the bot token only.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	call := Call{Method: MethodFileDownload, Time: time.Now(), Form: r.URL.Query()}
	call.Token = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	rest := strings.TrimPrefix(r.URL.Path, "/files-pri/"+TeamID+"-")
	id, _, _ := strings.Cut(rest, "/")
	status := http.StatusOK
	var body []byte
	f := s.popFault(MethodFileDownload, "")
	call.Fault = f
	if f != nil && !s.sleep(r, f.Delay) {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	s.mu.Lock()
	file := s.files[id]
	s.mu.Unlock()
	switch {
	case call.Token != BotToken:
		status = http.StatusFound
	case f != nil && f.Status != 0 && f.Status != http.StatusOK:
		status = f.Status
	case file == nil:
		status = http.StatusNotFound
	default:
		body = file.content
	}
	s.mu.Lock()
	call.Status = status
	if status != http.StatusOK {
		call.Error = http.StatusText(status)
	}
	s.calls = append(s.calls, call)
	s.notify()
	s.mu.Unlock()
	if status == http.StatusFound { // Slack sends a request without the token to sign in
		http.Redirect(w, r, s.base+"/signin?redir="+url.QueryEscape(r.URL.Path), http.StatusFound)
		return
	}
	if status != http.StatusOK {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(body)
}

// serveSignIn is the sign-in page a request without the token is sent to.
func serveSignIn(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, "<!DOCTYPE html><html><body>Sign in to Slack</body></html>")
}

// FileShareEvent is a user's message sharing files (subtype file_share), with text
// (may be empty) and the file objects Upload returned.
func FileShareEvent(user, channel, text string, files ...map[string]any) map[string]any {
	ev := MessageEvent(user, channel, text)
	ev["subtype"] = "file_share"
	ev["upload"] = true
	list := make([]any, len(files))
	for i, f := range files {
		list[i] = f
	}
	ev["files"] = list
	return ev
}
