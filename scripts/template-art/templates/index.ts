import type { TemplateDefinition } from '../kit/template-definition.ts';
import { approveRejectRobot } from './approve-reject-robot.ts';
import { captionBarAllGreen } from './caption-bar-all-green.ts';
import { captionBarDuck } from './caption-bar-duck.ts';
import { captionBarServerCat } from './caption-bar-server-cat.ts';
import { catOnKeyboard } from './cat-on-keyboard.ts';
import { coffeeEscalation } from './coffee-escalation.ts';
import { distractedSysadmin } from './distracted-sysadmin.ts';
import { exitRampSwerve } from './exit-ramp-swerve.ts';
import { expectationRealityCloud } from './expectation-reality-cloud.ts';
import { galaxyBrainBulb } from './galaxy-brain-bulb.ts';
import { helmSunset } from './helm-sunset.ts';
import { pagerPanic } from './pager-panic.ts';
import { rackOfDoom } from './rack-of-doom.ts';
import { thisIsFineDatacenter } from './this-is-fine-datacenter.ts';
import { twoButtonsDeploy } from './two-buttons-deploy.ts';

/** Every bundled template, in the order they are generated. */
export const TEMPLATES: readonly TemplateDefinition[] = [
  rackOfDoom,
  thisIsFineDatacenter,
  pagerPanic,
  helmSunset,
  catOnKeyboard,
  approveRejectRobot,
  expectationRealityCloud,
  galaxyBrainBulb,
  coffeeEscalation,
  distractedSysadmin,
  twoButtonsDeploy,
  exitRampSwerve,
  captionBarDuck,
  captionBarServerCat,
  captionBarAllGreen,
];
