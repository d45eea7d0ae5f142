/** The housing pages: one chunk, loaded the first time a housing page opens (see index.tsx). */
import './housing.css';

export { BuildingsPage } from './buildings';
export { HousePage } from './house';
export { RegisterHousePage } from './house-form';
export { HousesListPage } from './houses';
export { LandlordPage, LandlordsListPage, NewLandlordPage } from './landlords';
export { ExpiringLettersPage, LetterPage, LettersListPage } from './letters';
export { BannedOccupiedPage, LapsedLettersPage } from './worklists';
