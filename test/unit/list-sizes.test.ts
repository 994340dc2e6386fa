import { KNOWN_LIST_SIZES } from '../../common/limits/index.js';
import { officialRegions } from '../../common/regions.js';

describe('known list sizes of the cost estimate', () => {
  it('bound every region’s children in the official region tree', async () => {
    const regions = await officialRegions();
    let most = 0;
    for (const region of regions.all()) most = Math.max(most, regions.childrenOf(region.code).length);
    most = Math.max(most, regions.childrenOf(null).length);
    // equal, not just at least: a bound far above the data would refuse honest questions
    expect(KNOWN_LIST_SIZES['Region.children']).toBe(most);
  });
});
