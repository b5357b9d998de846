package server

// LogRequests is logRequests, for the tests.
var LogRequests = logRequests

// CheckInput is checkInput, for the tests.
var CheckInput = checkInput
