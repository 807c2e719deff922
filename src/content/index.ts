import { parseAdoUrl } from '../shared/ado/urls';

// Marks the page so people and tests can see the companion is active here; features come later.
const page = parseAdoUrl(location.href);
document.documentElement.dataset.adoCompanion = page ? page.page : 'inactive';
