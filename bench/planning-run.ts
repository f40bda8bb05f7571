/**
 * `npm run bench:planning`: the planning figures alone (a simulated peak day, its replications, the plan
 * over 90 days), written in place into bench/results.md and bench/results.json.
 */
import { measurePlanning, planningSection, replacePlanningSection, writePlanningJson } from './planning.js';

const figures = await measurePlanning();
replacePlanningSection(figures);
writePlanningJson(figures);
console.log(planningSection(figures.day, figures.replications, figures.plan).join('\n'));
