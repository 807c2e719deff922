import { render } from 'preact';
import { Popup } from './popup';
import { startLoading } from './startup';

render(<Popup start={startLoading()} />, document.getElementById('app')!);
