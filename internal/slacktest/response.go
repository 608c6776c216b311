package slacktest

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxResponsePosts is how often one response_url may be used (slack.md 2.2).
const maxResponsePosts = 5

// serveResponse accepts posts to a response_url: JSON bodies such as slack-go's
// PostMessage with MsgOptionResponseURL sends. It answers {"ok":true}.
func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/response/"))
	s.mu.Lock()
	_, issued := s.resps[n]
	s.mu.Unlock()
	if err != nil || !issued || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	call := Call{Method: MethodResponseURL, Time: now, Status: http.StatusOK}
	var obj map[string]any
	jsonErr := json.Unmarshal(body, &obj)
	_ = json.Unmarshal(body, &call.JSON)

	var aerr *apiError
	var header http.Header
	if f := s.popFault(MethodResponseURL, ""); f != nil {
		call.Fault = f
		s.sleep(r, f.Delay)
		call.Status, header, aerr = faultAnswer(f)
	}

	s.mu.Lock()
	if aerr == nil && call.Status == http.StatusOK {
		switch {
		case jsonErr != nil:
			aerr = errf("invalid_payload")
		case s.resps[n] >= maxResponsePosts:
			aerr = errf("used_url")
		case len(responseBlockErrors(obj)) > 0:
			msgs := responseBlockErrors(obj)
			aerr = &apiError{code: "invalid_blocks", messages: msgs, errors: msgs}
		default:
			s.resps[n]++
			resp := Response{URL: s.base + r.URL.Path, Index: n, JSON: obj, Body: body, Time: now}
			resp.Text, _ = obj["text"].(string)
			resp.ResponseType, _ = obj["response_type"].(string)
			resp.ReplaceOriginal, _ = obj["replace_original"].(bool)
			resp.DeleteOriginal, _ = obj["delete_original"].(bool)
			if b, ok := obj["blocks"].([]any); ok {
				resp.Blocks = rawJSON(b)
			}
			s.responses = append(s.responses, resp)
		}
	}
	if aerr != nil {
		call.Error = aerr.code
	}
	out := answer(nil, aerr)
	s.calls = append(s.calls, call)
	s.notify()
	s.mu.Unlock()

	maps.Copy(w.Header(), header)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(call.Status)
	_, _ = w.Write(out)
}

// responseBlockErrors checks the blocks of a response_url post.
func responseBlockErrors(obj map[string]any) []string {
	b, _ := obj["blocks"].([]any)
	return checkMessageBlocks(b)
}
