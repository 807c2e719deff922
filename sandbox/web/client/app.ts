import { startCallouts } from './callouts';
import { startNavigation } from './navigation';
import { startPageActions } from './page-actions';
import { fillSlots } from './slots';
import { pageUrlOf, region } from './state';
import { followSystemTheme } from './theme';

// The sandbox pages' script (bundled by the sandbox and served as /_sandbox/web/app.js).
followSystemTheme();
startNavigation();
startCallouts();
startPageActions();
const main = region('main');
if (main) fillSlots(main, pageUrlOf(location.href));
