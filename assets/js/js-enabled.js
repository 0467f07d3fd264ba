// GOV.UK Frontend's page template does this with an inline script; our Content Security
// Policy forbids inline script, so it is this external file, loaded first thing in <body>.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
