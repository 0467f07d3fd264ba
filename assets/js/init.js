// Start GOV.UK Frontend's components, then our own small enhancements.
import { initAll } from "./govuk-frontend.min.js";
import { enhanceFinder } from "./finder.js";

initAll();
enhanceFinder(document);
