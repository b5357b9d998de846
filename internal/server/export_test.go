package server

// LogRequests is logRequests, for the tests.
var LogRequests = logRequests
