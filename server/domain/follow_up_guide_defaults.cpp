// The shipped follow-up guides (docs/domain.md "Follow-up guides"): for each complaint category,
// in each of the five languages, four sections of a few lines each. Grounded in the UN Guiding
// Principles (UNGP 22, 29, 31), the OECD Due Diligence Guidance for Responsible Business
// Conduct (remediation, stakeholder engagement) and the ILO core conventions named in the lines
// (C29/P29, C87, C98, C100, C105, C111, C138, C155, C182, C190). The operator may replace any
// of them (FollowUpGuides::update); these stay the defaults "reset" returns to.
#include <cstddef>

#include "server/domain/follow_up_guides.hpp"

namespace grievance::domain {
namespace {

struct Text {
  const char* check;
  const char* involve;
  const char* remedies;
  const char* pitfalls;
};

// [category][language], in the order of the enums (types.hpp): en, nl, id, vi, fr.
constexpr Text kDefaults[11][5] = {
    // ---- wages ----
    {{"Pay slips, time records and bank transfers for the period, against the contract and the "
      "legal or collective minimum wage.\n"
      "Deductions (fees, fines, housing, tools), piece rates and overtime premiums: lawful, agreed "
      "and shown on the slip?\n"
      "Whether other workers on the same team or contract are affected.",
      "The complainant and, if they wish, their union; payroll and the site manager.\n"
      "The buyers' sourcing staff when prices or payment terms play a part.",
      "Back pay of everything owed, by an agreed date; corrected pay slips.\n"
      "Unlawful deductions stopped and repaid; payroll fixed for everyone affected.",
      "Retaliation: lost overtime, transfers or a contract not renewed after the complaint. Say "
      "clearly it will not be tolerated, and watch for it.\n"
      "Paying only the complainant while the cause stays in place for the others."},
     {"Loonstroken, urenregistratie en bankoverschrijvingen over de periode, naast het contract en "
      "het wettelijk of cao-minimumloon.\n"
      "Inhoudingen (kosten, boetes, huisvesting, gereedschap), stukloon en overwerktoeslagen: "
      "wettig, afgesproken en op de loonstrook?\n"
      "Of andere werknemers in hetzelfde team of met hetzelfde contract ook getroffen zijn.",
      "De klager en, als die dat wil, de vakbond; de salarisadministratie en de locatiemanager.\n"
      "De inkopers van de afnemers als prijzen of betalingstermijnen meespelen.",
      "Nabetaling van alles wat verschuldigd is, op een afgesproken datum; gecorrigeerde "
      "loonstroken.\n"
      "Onwettige inhoudingen gestopt en terugbetaald; loonadministratie hersteld voor iedereen die "
      "getroffen is.",
      "Represailles: minder overwerk, overplaatsing of een contract dat niet wordt verlengd na de "
      "klacht. Zeg duidelijk dat dit niet wordt getolereerd en let erop.\n"
      "Alleen de klager betalen terwijl de oorzaak voor de anderen blijft bestaan."},
     {"Slip gaji, catatan jam kerja dan transfer bank untuk periode itu, dibandingkan dengan "
      "kontrak dan upah minimum menurut hukum atau perjanjian kerja bersama.\n"
      "Potongan (biaya, denda, perumahan, alat), upah borongan dan upah lembur: sah, disepakati "
      "dan tercantum di slip gaji?\n"
      "Apakah pekerja lain di tim atau dengan kontrak yang sama juga terdampak.",
      "Pengadu dan, jika ia mau, serikat pekerjanya; bagian penggajian dan manajer lokasi.\n"
      "Staf pembelian dari pembeli jika harga atau syarat pembayaran berperan.",
      "Pembayaran kekurangan upah seluruhnya, paling lambat tanggal yang disepakati; slip gaji "
      "yang diperbaiki.\n"
      "Potongan yang melanggar hukum dihentikan dan dikembalikan; penggajian diperbaiki untuk "
      "semua yang terdampak.",
      "Pembalasan: lembur dikurangi, dipindahkan atau kontrak tidak diperpanjang setelah "
      "pengaduan. Nyatakan dengan jelas bahwa hal itu tidak ditoleransi, dan awasi.\n"
      "Hanya membayar pengadu sementara penyebabnya tetap ada bagi pekerja lain."},
     {"Phiếu lương, bảng chấm công và chuyển khoản ngân hàng trong kỳ, so với hợp đồng và mức "
      "lương tối thiểu theo luật hoặc thỏa ước tập thể.\n"
      "Các khoản khấu trừ (phí, phạt, nhà ở, dụng cụ), lương khoán và phụ cấp làm thêm giờ: có hợp "
      "pháp, được thỏa thuận và ghi trên phiếu lương không?\n"
      "Người lao động khác cùng tổ hoặc cùng loại hợp đồng có bị ảnh hưởng không.",
      "Người khiếu nại và, nếu họ muốn, công đoàn của họ; bộ phận tính lương và quản lý cơ sở.\n"
      "Bộ phận thu mua của bên mua khi giá cả hoặc điều kiện thanh toán có liên quan.",
      "Trả đủ tiền lương còn thiếu trước một ngày đã thỏa thuận; phiếu lương được sửa lại.\n"
      "Chấm dứt và hoàn trả các khoản khấu trừ trái luật; sửa bảng lương cho tất cả người bị ảnh "
      "hưởng.",
      "Trả đũa: bị cắt làm thêm giờ, bị điều chuyển hoặc không được gia hạn hợp đồng sau khiếu "
      "nại. Nói rõ rằng điều đó không được chấp nhận và theo dõi.\n"
      "Chỉ trả cho người khiếu nại trong khi nguyên nhân vẫn còn với những người khác."},
     {"Bulletins de paie, relevés d'heures et virements de la période, comparés au contrat et au "
      "salaire minimum légal ou conventionnel.\n"
      "Retenues (frais, amendes, logement, outils), salaire à la pièce et majorations d'heures "
      "supplémentaires : légales, convenues et visibles sur le bulletin ?\n"
      "Si d'autres travailleurs de la même équipe ou du même contrat sont touchés.",
      "Le plaignant et, s'il le souhaite, son syndicat ; le service paie et le responsable du "
      "site.\n"
      "Les acheteurs des donneurs d'ordre quand les prix ou les délais de paiement jouent un rôle.",
      "Paiement de tout l'arriéré à une date convenue ; bulletins de paie corrigés.\n"
      "Retenues illégales arrêtées et remboursées ; paie corrigée pour toutes les personnes "
      "touchées.",
      "Représailles : heures supplémentaires supprimées, mutation ou contrat non renouvelé après "
      "la plainte. Dites clairement que ce ne sera pas toléré, et restez vigilant.\n"
      "Payer seulement le plaignant alors que la cause demeure pour les autres."}},
    // ---- working_hours ----
    {{"Time records, rosters and gate logs against the legal limits and the collective agreement "
      "(ILO C1: 48 hours, overtime voluntary and limited).\n"
      "Whether overtime is voluntary and paid at the premium rate, and whether rest days are "
      "given.",
      "The complainant and their union or worker representatives; production planning and HR.\n"
      "Buyers whose order volumes and lead times drive the overtime.",
      "All unpaid overtime paid at the premium rate; rest days restored.\n"
      "Production and staffing planned so that hours stay within the limits; buyers adjust lead "
      "times.",
      "Two sets of records: compare with gate logs and the workers' own notes.\n"
      "Punishing a refusal of overtime, or cutting the complainant's hours and pay."},
     {"Urenregistratie, roosters en poortregistratie naast de wettelijke grenzen en de cao (IAO "
      "C1: 48 uur, overwerk vrijwillig en beperkt).\n"
      "Of overwerk vrijwillig is en met toeslag betaald wordt, en of rustdagen worden gegeven.",
      "De klager en de vakbond of werknemersvertegenwoordigers; productieplanning en HR.\n"
      "Afnemers van wie de ordergrootte en levertijden het overwerk veroorzaken.",
      "Al het onbetaalde overwerk nabetaald met toeslag; rustdagen hersteld.\n"
      "Productie en bezetting zo gepland dat de uren binnen de grenzen blijven; afnemers passen "
      "levertijden aan.",
      "Dubbele administratie: vergelijk met de poortregistratie en de eigen aantekeningen van "
      "werknemers.\n"
      "Het weigeren van overwerk bestraffen, of de uren en het loon van de klager verminderen."},
     {"Catatan jam kerja, jadwal shift dan catatan gerbang dibandingkan dengan batas menurut hukum "
      "dan perjanjian kerja bersama (ILO C1: 48 jam, lembur sukarela dan terbatas).\n"
      "Apakah lembur bersifat sukarela dan dibayar dengan upah lembur, dan apakah hari istirahat "
      "diberikan.",
      "Pengadu dan serikat pekerja atau wakil pekerjanya; perencanaan produksi dan HRD.\n"
      "Pembeli yang volume pesanan dan tenggat waktunya menyebabkan lembur.",
      "Semua lembur yang belum dibayar dibayar dengan tarif lembur; hari istirahat dipulihkan.\n"
      "Produksi dan jumlah pekerja direncanakan agar jam kerja tetap dalam batas; pembeli "
      "menyesuaikan tenggat waktu.",
      "Dua versi catatan: bandingkan dengan catatan gerbang dan catatan pekerja sendiri.\n"
      "Menghukum penolakan lembur, atau mengurangi jam kerja dan upah pengadu."},
     {"Bảng chấm công, lịch ca và sổ ra vào cổng so với giới hạn của luật và thỏa ước tập thể (ILO "
      "C1: 48 giờ, làm thêm tự nguyện và có giới hạn).\n"
      "Làm thêm giờ có tự nguyện và được trả lương làm thêm không, và người lao động có được nghỉ "
      "hằng tuần không.",
      "Người khiếu nại và công đoàn hoặc đại diện người lao động; bộ phận kế hoạch sản xuất và "
      "nhân sự.\n"
      "Bên mua có khối lượng đơn hàng và thời hạn giao hàng gây ra làm thêm giờ.",
      "Trả đủ tiền làm thêm giờ chưa trả theo mức lương làm thêm; khôi phục ngày nghỉ.\n"
      "Lập kế hoạch sản xuất và nhân lực để giờ làm trong giới hạn; bên mua điều chỉnh thời hạn "
      "giao hàng.",
      "Hai bộ sổ sách: đối chiếu với sổ ra vào cổng và ghi chép riêng của người lao động.\n"
      "Phạt người từ chối làm thêm giờ, hoặc cắt giờ làm và lương của người khiếu nại."},
     {"Relevés d'heures, plannings et registres d'entrée comparés aux limites légales et à la "
      "convention collective (OIT C1 : 48 heures, heures supplémentaires volontaires et "
      "limitées).\n"
      "Si les heures supplémentaires sont volontaires et majorées, et si les jours de repos sont "
      "accordés.",
      "Le plaignant et son syndicat ou les représentants du personnel ; la planification de la "
      "production et les RH.\n"
      "Les acheteurs dont les volumes et les délais de commande causent les heures "
      "supplémentaires.",
      "Toutes les heures supplémentaires impayées payées avec majoration ; jours de repos "
      "rétablis.\n"
      "Production et effectifs planifiés pour respecter les limites ; les acheteurs adaptent leurs "
      "délais.",
      "Double comptabilité des heures : comparez avec les registres d'entrée et les notes des "
      "travailleurs.\n"
      "Sanctionner le refus d'heures supplémentaires, ou réduire les heures et le salaire du "
      "plaignant."}},
    // ---- health_safety ----
    {{"Whether the danger is still there: if so, stop the work first (ILO C155: a worker may leave "
      "a dangerous situation without penalty).\n"
      "Protective equipment, handling of chemicals and pesticides, training, accident and sickness "
      "records, drinking water, toilets.",
      "The health and safety committee or worker representatives; an occupational health "
      "professional.\n"
      "The labour inspectorate where the law requires the accident to be reported.",
      "The hazard removed, equipment and training provided; medical care, and wages paid during "
      "sick leave.\n"
      "Compensation for injury or illness; a check some weeks later that the fix holds.",
      "Blaming the injured worker; pressure not to report accidents.\n"
      "Retaliation against those who refused unsafe work."},
     {"Of het gevaar er nog is: zo ja, eerst het werk stilleggen (IAO C155: een werknemer mag een "
      "gevaarlijke situatie zonder sanctie verlaten).\n"
      "Beschermingsmiddelen, omgang met chemicaliën en bestrijdingsmiddelen, opleiding, "
      "ongevallen- en verzuimregistratie, drinkwater, toiletten.",
      "Het arbocomité of de werknemersvertegenwoordigers; een arbeidsgezondheidskundige.\n"
      "De arbeidsinspectie waar de wet een melding van het ongeval eist.",
      "Het gevaar weggenomen, beschermingsmiddelen en opleiding gegeven; medische zorg en loon "
      "tijdens ziekteverlof.\n"
      "Schadevergoeding voor letsel of ziekte; een controle na enkele weken of de oplossing werkt.",
      "De gewonde werknemer de schuld geven; druk om ongevallen niet te melden.\n"
      "Represailles tegen wie onveilig werk weigerde."},
     {"Apakah bahaya masih ada: jika ya, hentikan pekerjaan terlebih dahulu (ILO C155: pekerja "
      "boleh meninggalkan situasi berbahaya tanpa sanksi).\n"
      "Alat pelindung diri, penanganan bahan kimia dan pestisida, pelatihan, catatan kecelakaan "
      "dan sakit, air minum, toilet.",
      "Panitia Pembina K3 (P2K3) atau wakil pekerja; tenaga kesehatan kerja.\n"
      "Pengawas ketenagakerjaan jika hukum mewajibkan kecelakaan dilaporkan.",
      "Bahaya dihilangkan, alat pelindung dan pelatihan diberikan; perawatan medis dan upah tetap "
      "dibayar selama sakit.\n"
      "Kompensasi untuk cedera atau penyakit; pemeriksaan beberapa minggu kemudian bahwa perbaikan "
      "bertahan.",
      "Menyalahkan pekerja yang cedera; tekanan agar kecelakaan tidak dilaporkan.\n"
      "Pembalasan terhadap pekerja yang menolak pekerjaan yang tidak aman."},
     {"Nguy cơ còn tồn tại không: nếu còn, hãy dừng công việc trước tiên (ILO C155: người lao động "
      "được rời khỏi tình huống nguy hiểm mà không bị phạt).\n"
      "Phương tiện bảo hộ, việc sử dụng hóa chất và thuốc trừ sâu, huấn luyện, sổ ghi tai nạn và "
      "ốm đau, nước uống, nhà vệ sinh.",
      "Hội đồng an toàn, vệ sinh lao động hoặc đại diện người lao động; cán bộ y tế lao động.\n"
      "Thanh tra lao động khi luật yêu cầu báo cáo tai nạn.",
      "Loại bỏ mối nguy, cấp phương tiện bảo hộ và huấn luyện; chăm sóc y tế và trả lương trong "
      "thời gian nghỉ ốm.\n"
      "Bồi thường thương tích hoặc bệnh tật; kiểm tra lại sau vài tuần xem biện pháp có hiệu quả "
      "không.",
      "Đổ lỗi cho người lao động bị thương; gây áp lực để không báo cáo tai nạn.\n"
      "Trả đũa những người đã từ chối công việc không an toàn."},
     {"Si le danger est toujours présent : si oui, arrêter d'abord le travail (OIT C155 : un "
      "travailleur peut se retirer d'une situation dangereuse sans sanction).\n"
      "Équipements de protection, manipulation des produits chimiques et pesticides, formation, "
      "registres d'accidents et de maladies, eau potable, toilettes.",
      "Le comité de santé et sécurité ou les représentants du personnel ; un professionnel de "
      "santé au travail.\n"
      "L'inspection du travail quand la loi impose de déclarer l'accident.",
      "Danger supprimé, équipements et formation fournis ; soins médicaux et salaire maintenu "
      "pendant l'arrêt maladie.\n"
      "Indemnisation des blessures ou maladies ; vérification quelques semaines plus tard que la "
      "correction tient.",
      "Rejeter la faute sur le travailleur blessé ; pressions pour ne pas déclarer les accidents.\n"
      "Représailles contre ceux qui ont refusé un travail dangereux."}},
    // ---- freedom_of_association ----
    {{"Dismissals, transfers, warnings or lost shifts of union members or organisers, and their "
      "timing against union activity (ILO C87, C98).\n"
      "The union's access to the workplace and recognition; whether bargaining is refused or a "
      "management-controlled union is favoured.",
      "The union concerned and, if it wishes, its federation; senior management, not the local "
      "manager involved.\n"
      "The buyers, who can make respect for freedom of association a condition of business.",
      "Reinstatement with back pay of those dismissed for union activity; warnings withdrawn.\n"
      "A written statement of neutrality to all workers; access for the union and bargaining in "
      "good faith.",
      "No anti-union transfers, blacklists or surveillance of union meetings.\n"
      "Do not negotiate only with a union that management chose."},
     {"Ontslagen, overplaatsingen, waarschuwingen of geschrapte diensten van vakbondsleden of "
      "-kaderleden, en het tijdstip ervan naast vakbondsactiviteiten (IAO C87, C98).\n"
      "Toegang van de vakbond tot het bedrijf en erkenning; of onderhandelen wordt geweigerd of "
      "een door de directie gestuurde bond wordt voorgetrokken.",
      "De betrokken vakbond en, als die wil, haar federatie; de hogere directie, niet de betrokken "
      "lokale manager.\n"
      "De afnemers, die respect voor vakbondsvrijheid als voorwaarde kunnen stellen.",
      "Herplaatsing met nabetaling van wie om vakbondswerk is ontslagen; waarschuwingen "
      "ingetrokken.\n"
      "Een schriftelijke neutraliteitsverklaring aan alle werknemers; toegang voor de bond en "
      "onderhandelen te goeder trouw.",
      "Geen anti-vakbondsoverplaatsingen, zwarte lijsten of bespieding van vakbondsvergaderingen.\n"
      "Niet alleen onderhandelen met een bond die de directie heeft gekozen."},
     {"PHK, mutasi, surat peringatan atau shift yang dihapus terhadap anggota atau pengurus "
      "serikat, dan waktunya dibandingkan dengan kegiatan serikat (ILO C87, C98).\n"
      "Akses serikat ke tempat kerja dan pengakuannya; apakah perundingan ditolak atau serikat "
      "bentukan manajemen diistimewakan.",
      "Serikat yang bersangkutan dan, jika mau, federasinya; manajemen senior, bukan manajer lokal "
      "yang terlibat.\n"
      "Pembeli, yang dapat menjadikan penghormatan kebebasan berserikat sebagai syarat bisnis.",
      "Pekerja yang di-PHK karena kegiatan serikat dipekerjakan kembali dengan upah yang tertunda; "
      "surat peringatan dicabut.\n"
      "Pernyataan tertulis netralitas kepada semua pekerja; akses untuk serikat dan perundingan "
      "dengan itikad baik.",
      "Tidak ada mutasi anti-serikat, daftar hitam atau pengawasan rapat serikat.\n"
      "Jangan berunding hanya dengan serikat pilihan manajemen."},
     {"Sa thải, điều chuyển, cảnh cáo hoặc cắt ca đối với đoàn viên hoặc người vận động công đoàn, "
      "và thời điểm so với hoạt động công đoàn (ILO C87, C98).\n"
      "Quyền tiếp cận nơi làm việc và sự công nhận của tổ chức đại diện người lao động; có từ chối "
      "thương lượng hoặc ưu ái một tổ chức do quản lý chi phối không.",
      "Tổ chức công đoàn liên quan và, nếu họ muốn, liên đoàn cấp trên; ban lãnh đạo cấp cao, "
      "không phải quản lý địa phương liên quan.\n"
      "Bên mua, có thể đặt việc tôn trọng quyền tự do hiệp hội làm điều kiện kinh doanh.",
      "Nhận lại làm việc và trả lương cho những người bị sa thải vì hoạt động công đoàn; rút lại "
      "các cảnh cáo.\n"
      "Tuyên bố trung lập bằng văn bản tới toàn thể người lao động; cho phép tiếp cận và thương "
      "lượng thiện chí.",
      "Không điều chuyển chống công đoàn, không lập danh sách đen, không theo dõi các cuộc họp "
      "công đoàn.\n"
      "Không chỉ thương lượng với tổ chức do ban quản lý chọn."},
     {"Licenciements, mutations, avertissements ou postes supprimés visant des syndiqués ou des "
      "délégués, et leur calendrier par rapport à l'activité syndicale (OIT C87, C98).\n"
      "Accès du syndicat au lieu de travail et reconnaissance ; refus de négocier ou syndicat "
      "maison favorisé.",
      "Le syndicat concerné et, s'il le souhaite, sa fédération ; la direction générale, pas le "
      "responsable local mis en cause.\n"
      "Les acheteurs, qui peuvent faire du respect de la liberté syndicale une condition "
      "commerciale.",
      "Réintégration avec rappel de salaire des personnes licenciées pour activité syndicale ; "
      "avertissements retirés.\n"
      "Une déclaration écrite de neutralité à tout le personnel ; accès du syndicat et négociation "
      "de bonne foi.",
      "Pas de mutations antisyndicales, de listes noires ni de surveillance des réunions "
      "syndicales.\n"
      "Ne pas négocier seulement avec un syndicat choisi par la direction."}},
    // ---- discrimination ----
    {{"Hiring, pay, promotion, contract type and dismissals compared across sex, ethnicity, "
      "religion, origin, migrant status, age, disability and pregnancy (ILO C100, C111).\n"
      "Pregnancy tests, questions about marriage or family plans, different pay for equal work.",
      "The complainant and a person they trust; HR and an investigator independent of the line "
      "manager.\n"
      "Women's or migrant workers' organisations where the group concerned is represented.",
      "Equal pay back-dated; the job, promotion or contract that was refused.\n"
      "A changed policy, training of managers, and a check of the figures some months later.",
      "Treating it as a personal conflict when the pattern is structural.\n"
      "Retaliation, and telling colleagues who complained."},
     {"Werving, loon, promotie, contractvorm en ontslag vergeleken naar geslacht, etniciteit, "
      "religie, afkomst, migratiestatus, leeftijd, handicap en zwangerschap (IAO C100, C111).\n"
      "Zwangerschapstests, vragen over huwelijk of kinderwens, ongelijk loon voor gelijk werk.",
      "De klager en een vertrouwenspersoon; HR en een onderzoeker die onafhankelijk is van de "
      "leidinggevende.\n"
      "Vrouwen- of migrantenorganisaties waar de betrokken groep vertegenwoordigd is.",
      "Gelijk loon met terugwerkende kracht; de baan, promotie of het contract dat geweigerd "
      "werd.\n"
      "Aangepast beleid, training van leidinggevenden en een controle van de cijfers na enkele "
      "maanden.",
      "Het als persoonlijk conflict behandelen terwijl het patroon structureel is.\n"
      "Represailles, en collega's vertellen wie klaagde."},
     {"Rekrutmen, upah, promosi, jenis kontrak dan PHK dibandingkan menurut jenis kelamin, suku, "
      "agama, asal, status migran, usia, disabilitas dan kehamilan (ILO C100, C111).\n"
      "Tes kehamilan, pertanyaan tentang pernikahan atau rencana punya anak, upah berbeda untuk "
      "pekerjaan yang sama.",
      "Pengadu dan orang yang ia percayai; HRD dan penyelidik yang independen dari atasan "
      "langsung.\n"
      "Organisasi perempuan atau pekerja migran jika kelompok tersebut terwakili di sana.",
      "Upah yang setara dibayar surut; pekerjaan, promosi atau kontrak yang sebelumnya ditolak.\n"
      "Kebijakan yang diubah, pelatihan bagi manajer, dan pemeriksaan angka beberapa bulan "
      "kemudian.",
      "Menganggapnya konflik pribadi padahal polanya struktural.\n"
      "Pembalasan, dan memberi tahu rekan kerja siapa yang mengadu."},
     {"Tuyển dụng, tiền lương, thăng tiến, loại hợp đồng và sa thải được so sánh theo giới tính, "
      "dân tộc, tôn giáo, nguồn gốc, tình trạng di cư, tuổi, khuyết tật và thai sản (ILO C100, "
      "C111).\n"
      "Thử thai, hỏi về hôn nhân hoặc kế hoạch sinh con, trả lương khác nhau cho công việc như "
      "nhau.",
      "Người khiếu nại và một người họ tin tưởng; bộ phận nhân sự và một người điều tra độc lập "
      "với quản lý trực tiếp.\n"
      "Tổ chức của phụ nữ hoặc người lao động di cư nếu nhóm liên quan có đại diện ở đó.",
      "Trả lương bình đẳng có hiệu lực hồi tố; công việc, thăng tiến hoặc hợp đồng đã bị từ chối.\n"
      "Thay đổi chính sách, đào tạo người quản lý, và kiểm tra lại số liệu sau vài tháng.",
      "Coi đó là mâu thuẫn cá nhân trong khi vấn đề mang tính hệ thống.\n"
      "Trả đũa, và cho đồng nghiệp biết ai đã khiếu nại."},
     {"Embauche, salaire, promotion, type de contrat et licenciements comparés selon le sexe, "
      "l'ethnie, la religion, l'origine, le statut de migrant, l'âge, le handicap et la grossesse "
      "(OIT C100, C111).\n"
      "Tests de grossesse, questions sur le mariage ou les projets d'enfant, salaire différent "
      "pour un travail égal.",
      "Le plaignant et une personne de confiance ; les RH et un enquêteur indépendant du supérieur "
      "direct.\n"
      "Les organisations de femmes ou de travailleurs migrants où le groupe concerné est "
      "représenté.",
      "Égalité de salaire avec effet rétroactif ; l'emploi, la promotion ou le contrat refusé.\n"
      "Une politique modifiée, la formation des encadrants et un contrôle des chiffres quelques "
      "mois plus tard.",
      "Traiter l'affaire comme un conflit personnel alors que le problème est structurel.\n"
      "Représailles, et révéler aux collègues qui s'est plaint."}},
    // ---- harassment ----
    {{"What happened, how often, who was involved, and whether the complainant is safe now (ILO "
      "C190).\n"
      "Whether there is a confidential way to report, and whether earlier reports were ignored.",
      "Only with the complainant's consent: a trained investigator of a gender they accept; the "
      "union.\n"
      "Medical, psychological or legal support.",
      "Protection at once: move the alleged harasser away from the complainant, not the other way "
      "round.\n"
      "Disciplinary measures, compensation, support, and a workplace policy with training.",
      "Moving or dismissing the complainant, or confronting them with the alleged harasser.\n"
      "Spreading details: share only what is needed, with those who need it."},
     {"Wat er gebeurde, hoe vaak, wie erbij betrokken was, en of de klager nu veilig is (IAO "
      "C190).\n"
      "Of er een vertrouwelijke meldroute is, en of eerdere meldingen werden genegeerd.",
      "Alleen met toestemming van de klager: een getrainde onderzoeker van een geslacht dat de "
      "klager accepteert; de vakbond.\n"
      "Medische, psychologische of juridische hulp.",
      "Direct bescherming: de vermoedelijke dader bij de klager weghalen, niet andersom.\n"
      "Disciplinaire maatregelen, schadevergoeding, steun, en beleid op de werkvloer met training.",
      "De klager overplaatsen of ontslaan, of confronteren met de vermoedelijke dader.\n"
      "Details rondvertellen: deel alleen wat nodig is, met wie het nodig heeft."},
     {"Apa yang terjadi, seberapa sering, siapa yang terlibat, dan apakah pengadu aman sekarang "
      "(ILO C190).\n"
      "Apakah ada cara melapor yang rahasia, dan apakah laporan sebelumnya diabaikan.",
      "Hanya dengan persetujuan pengadu: penyelidik terlatih dengan jenis kelamin yang ia terima; "
      "serikat pekerja.\n"
      "Pendampingan medis, psikologis atau hukum.",
      "Perlindungan segera: jauhkan terduga pelaku dari pengadu, bukan sebaliknya.\n"
      "Tindakan disiplin, ganti rugi, pendampingan, dan kebijakan tempat kerja dengan pelatihan.",
      "Memindahkan atau memecat pengadu, atau mempertemukannya dengan terduga pelaku.\n"
      "Menyebarkan detail: bagikan hanya yang perlu, kepada yang perlu tahu."},
     {"Chuyện gì đã xảy ra, bao nhiêu lần, ai liên quan, và người khiếu nại hiện có an toàn không "
      "(ILO C190).\n"
      "Có kênh báo cáo bảo mật không, và các báo cáo trước đây có bị bỏ qua không.",
      "Chỉ khi người khiếu nại đồng ý: một người điều tra được đào tạo, có giới tính mà họ chấp "
      "nhận; công đoàn.\n"
      "Hỗ trợ y tế, tâm lý hoặc pháp lý.",
      "Bảo vệ ngay: tách người bị cáo buộc quấy rối khỏi người khiếu nại, không phải ngược lại.\n"
      "Biện pháp kỷ luật, bồi thường, hỗ trợ, và chính sách nơi làm việc kèm đào tạo.",
      "Điều chuyển hoặc sa thải người khiếu nại, hoặc bắt họ đối chất với người bị cáo buộc.\n"
      "Lan truyền chi tiết: chỉ chia sẻ điều cần thiết với người cần biết."},
     {"Ce qui s'est passé, à quelle fréquence, qui était impliqué, et si le plaignant est en "
      "sécurité maintenant (OIT C190).\n"
      "S'il existe un moyen confidentiel de signaler, et si des signalements antérieurs ont été "
      "ignorés.",
      "Seulement avec l'accord du plaignant : un enquêteur formé, d'un sexe qu'il accepte ; le "
      "syndicat.\n"
      "Un soutien médical, psychologique ou juridique.",
      "Protection immédiate : éloigner l'auteur présumé du plaignant, et non l'inverse.\n"
      "Mesures disciplinaires, réparation, accompagnement, et une politique interne avec "
      "formation.",
      "Muter ou licencier le plaignant, ou le confronter à l'auteur présumé.\n"
      "Divulguer des détails : ne partager que le nécessaire, avec ceux qui en ont besoin."}},
    // ---- child_labour ----
    {{"The children's ages, the work they do and for how long, and whether it is hazardous (ILO "
      "C138, C182).\n"
      "Why children work: family income, piece-rate targets, no school or childcare nearby.",
      "Child protection services or a specialised organisation; the child's family; the union.\n"
      "The buyers, who share the cost of remediation.",
      "Never just dismiss the child: that pushes them into worse work. Take the child out of "
      "hazardous work and into school or training.\n"
      "Replace the lost income (a stipend to the family, or a job for an adult family member) "
      "until the child reaches working age; young workers above the minimum age may do light, safe "
      "work.",
      "Dismissing children or hiding them before an audit.\n"
      "Targets that can only be met with the family's children helping."},
     {"De leeftijd van de kinderen, het werk dat ze doen en hoe lang, en of het gevaarlijk is (IAO "
      "C138, C182).\n"
      "Waarom kinderen werken: gezinsinkomen, stukloonnormen, geen school of kinderopvang in de "
      "buurt.",
      "Kinderbescherming of een gespecialiseerde organisatie; het gezin van het kind; de vakbond.\n"
      "De afnemers, die meebetalen aan het herstel.",
      "Het kind nooit zomaar ontslaan: dat duwt het naar slechter werk. Haal het kind uit "
      "gevaarlijk werk en naar school of een opleiding.\n"
      "Vervang het gemiste inkomen (een toelage aan het gezin, of werk voor een volwassen "
      "gezinslid) tot het kind de werkleeftijd bereikt; jongeren boven de minimumleeftijd mogen "
      "licht en veilig werk doen.",
      "Kinderen ontslaan of verstoppen voor een audit.\n"
      "Normen die alleen haalbaar zijn als de kinderen van het gezin meehelpen."},
     {"Usia anak-anak, pekerjaan yang mereka lakukan dan berapa lama, serta apakah pekerjaan itu "
      "berbahaya (ILO C138, C182).\n"
      "Mengapa anak bekerja: pendapatan keluarga, target borongan, tidak ada sekolah atau "
      "penitipan anak di dekatnya.",
      "Lembaga perlindungan anak atau organisasi khusus; keluarga anak; serikat pekerja.\n"
      "Pembeli, yang ikut menanggung biaya pemulihan.",
      "Jangan pernah sekadar memberhentikan anak: itu mendorongnya ke pekerjaan yang lebih buruk. "
      "Keluarkan anak dari pekerjaan berbahaya dan masukkan ke sekolah atau pelatihan.\n"
      "Ganti pendapatan yang hilang (tunjangan untuk keluarga, atau pekerjaan untuk anggota "
      "keluarga dewasa) sampai anak mencapai usia kerja; pekerja muda di atas usia minimum boleh "
      "melakukan pekerjaan ringan dan aman.",
      "Memberhentikan atau menyembunyikan anak sebelum audit.\n"
      "Target yang hanya tercapai jika anak-anak keluarga ikut membantu."},
     {"Tuổi của trẻ em, công việc các em làm và trong bao lâu, và công việc đó có nguy hiểm không "
      "(ILO C138, C182).\n"
      "Vì sao trẻ em phải làm việc: thu nhập gia đình, định mức khoán, không có trường học hoặc "
      "nơi giữ trẻ gần đó.",
      "Cơ quan bảo vệ trẻ em hoặc tổ chức chuyên môn; gia đình của trẻ; công đoàn.\n"
      "Bên mua, cùng chia sẻ chi phí khắc phục.",
      "Không bao giờ chỉ đơn giản cho trẻ nghỉ việc: điều đó đẩy trẻ vào công việc tồi tệ hơn. Đưa "
      "trẻ ra khỏi công việc nguy hiểm và vào trường học hoặc học nghề.\n"
      "Bù đắp thu nhập bị mất (trợ cấp cho gia đình, hoặc việc làm cho một người lớn trong gia "
      "đình) cho đến khi trẻ đủ tuổi lao động; người chưa thành niên trên tuổi tối thiểu có thể "
      "làm việc nhẹ, an toàn.",
      "Cho trẻ nghỉ việc hoặc giấu trẻ trước đợt đánh giá.\n"
      "Định mức chỉ đạt được khi có trẻ em trong gia đình giúp sức."},
     {"L'âge des enfants, le travail qu'ils font et combien de temps, et s'il est dangereux (OIT "
      "C138, C182).\n"
      "Pourquoi des enfants travaillent : revenu familial, objectifs de rendement, pas d'école ni "
      "de garde à proximité.",
      "Les services de protection de l'enfance ou une organisation spécialisée ; la famille de "
      "l'enfant ; le syndicat.\n"
      "Les acheteurs, qui partagent le coût de la remédiation.",
      "Ne jamais simplement renvoyer l'enfant : cela le pousse vers un travail pire. Retirer "
      "l'enfant du travail dangereux et l'inscrire à l'école ou en formation.\n"
      "Remplacer le revenu perdu (allocation à la famille, ou emploi d'un adulte de la famille) "
      "jusqu'à l'âge légal du travail ; les jeunes au-dessus de l'âge minimum peuvent faire des "
      "travaux légers et sûrs.",
      "Renvoyer ou cacher les enfants avant un audit.\n"
      "Des objectifs qui ne sont atteignables qu'avec l'aide des enfants de la famille."}},
    // ---- forced_labour ----
    {{"Recruitment fees and debts, passports or documents kept by the employer, wages withheld, "
      "freedom to resign and to leave the premises (ILO C29, P29, C105; the ILO indicators of "
      "forced labour).\n"
      "Recruitment agencies in the country of origin and of work, and the contracts the workers "
      "signed.",
      "The workers, with an interpreter of their language, and their union or a migrant workers' "
      "organisation.\n"
      "The recruitment agencies and the buyers; specialised support services where there are signs "
      "of trafficking.",
      "All recruitment fees and related costs repaid to the workers (the employer pays principle); "
      "passports and documents returned to the workers at once.\n"
      "Freedom to resign without penalty, with the journey home paid; contracts in a language the "
      "workers understand.",
      "Deporting or dismissing the workers who spoke up.\n"
      "\"Voluntary\" safekeeping of passports without free access at any time."},
     {"Wervingskosten en schulden, paspoorten of documenten die de werkgever bewaart, ingehouden "
      "loon, de vrijheid om ontslag te nemen en het terrein te verlaten (IAO C29, P29, C105; de "
      "IAO-indicatoren van dwangarbeid).\n"
      "Wervingsbureaus in het land van herkomst en van werk, en de contracten die de werknemers "
      "tekenden.",
      "De werknemers, met een tolk van hun taal, en hun vakbond of een migrantenorganisatie.\n"
      "De wervingsbureaus en de afnemers; gespecialiseerde hulp waar er tekenen van mensenhandel "
      "zijn.",
      "Alle wervingskosten en bijkomende kosten terugbetaald aan de werknemers (de werkgever "
      "betaalt); paspoorten en documenten direct teruggegeven.\n"
      "Vrijheid om zonder sanctie ontslag te nemen, met betaalde terugreis; contracten in een taal "
      "die de werknemers begrijpen.",
      "De werknemers die aan de bel trokken uitzetten of ontslaan.\n"
      "'Vrijwillige' bewaring van paspoorten zonder dat de werknemers er altijd bij kunnen."},
     {"Biaya rekrutmen dan utang, paspor atau dokumen yang ditahan pemberi kerja, upah yang "
      "ditahan, kebebasan untuk berhenti dan keluar dari lokasi (ILO C29, P29, C105; indikator "
      "kerja paksa ILO).\n"
      "Agen perekrutan di negara asal dan negara tempat bekerja, serta kontrak yang ditandatangani "
      "pekerja.",
      "Para pekerja, dengan penerjemah bahasa mereka, dan serikat pekerja atau organisasi pekerja "
      "migran.\n"
      "Agen perekrutan dan pembeli; layanan pendampingan khusus jika ada tanda perdagangan orang.",
      "Semua biaya rekrutmen dan biaya terkait dikembalikan kepada pekerja (prinsip pemberi kerja "
      "yang membayar); paspor dan dokumen segera dikembalikan kepada pekerja.\n"
      "Kebebasan berhenti tanpa sanksi, dengan biaya pulang ditanggung; kontrak dalam bahasa yang "
      "dipahami pekerja.",
      "Memulangkan paksa atau memecat pekerja yang bersuara.\n"
      "Penitipan paspor yang \"sukarela\" tanpa akses bebas kapan saja."},
     {"Phí tuyển dụng và nợ, hộ chiếu hoặc giấy tờ bị chủ sử dụng giữ, lương bị giữ lại, quyền tự "
      "do nghỉ việc và rời khỏi nơi ở (ILO C29, P29, C105; các dấu hiệu lao động cưỡng bức của "
      "ILO).\n"
      "Các công ty môi giới tuyển dụng ở nước xuất xứ và nước làm việc, và hợp đồng người lao động "
      "đã ký.",
      "Người lao động, có phiên dịch ngôn ngữ của họ, và công đoàn hoặc tổ chức của người lao động "
      "di cư.\n"
      "Các công ty môi giới và bên mua; dịch vụ hỗ trợ chuyên biệt khi có dấu hiệu mua bán người.",
      "Hoàn trả toàn bộ phí tuyển dụng và chi phí liên quan cho người lao động (nguyên tắc người "
      "sử dụng lao động chi trả); trả lại ngay hộ chiếu và giấy tờ cho người lao động.\n"
      "Được tự do nghỉ việc không bị phạt, được trả chi phí về nước; hợp đồng bằng ngôn ngữ người "
      "lao động hiểu.",
      "Trục xuất hoặc sa thải những người lao động đã lên tiếng.\n"
      "\"Tự nguyện\" gửi giữ hộ chiếu mà không được tự do lấy lại bất cứ lúc nào."},
     {"Frais de recrutement et dettes, passeports ou documents gardés par l'employeur, salaires "
      "retenus, liberté de démissionner et de quitter les lieux (OIT C29, P29, C105 ; indicateurs "
      "du travail forcé de l'OIT).\n"
      "Les agences de recrutement du pays d'origine et du pays de travail, et les contrats signés "
      "par les travailleurs.",
      "Les travailleurs, avec un interprète de leur langue, et leur syndicat ou une organisation "
      "de travailleurs migrants.\n"
      "Les agences de recrutement et les acheteurs ; des services spécialisés s'il y a des signes "
      "de traite.",
      "Remboursement aux travailleurs de tous les frais de recrutement et frais liés (principe de "
      "l'employeur-payeur) ; passeports et documents rendus immédiatement aux travailleurs.\n"
      "Liberté de démissionner sans pénalité, avec le voyage de retour payé ; contrats dans une "
      "langue que les travailleurs comprennent.",
      "Expulser ou licencier les travailleurs qui ont parlé.\n"
      "La garde « volontaire » des passeports sans libre accès à tout moment."}},
    // ---- land_rights ----
    {{"How the land was acquired: free, prior and informed consent of the communities, customary "
      "rights, compensation paid and to whom.\n"
      "Maps, permits and agreements; which households and groups (women, indigenous peoples) are "
      "affected.",
      "The community's own representatives and customary leaders; independent legal support.\n"
      "Local government and the buyers; a mediator both sides accept.",
      "No clearing or expansion on disputed land while the dispute is open.\n"
      "Fair compensation, return of land, or benefit-sharing agreed with the community.",
      "Negotiating with a few individuals instead of the representatives the community chose.\n"
      "Intimidation of, or criminal complaints against, community members and defenders."},
     {"Hoe het land verworven is: vrije, voorafgaande en geïnformeerde instemming van de "
      "gemeenschappen, gewoonterechten, betaalde compensatie en aan wie.\n"
      "Kaarten, vergunningen en overeenkomsten; welke huishoudens en groepen (vrouwen, inheemse "
      "volken) getroffen zijn.",
      "De eigen vertegenwoordigers en traditionele leiders van de gemeenschap; onafhankelijke "
      "juridische steun.\n"
      "De lokale overheid en de afnemers; een bemiddelaar die beide partijen aanvaarden.",
      "Geen ontginning of uitbreiding op betwist land zolang het geschil loopt.\n"
      "Eerlijke compensatie, teruggave van land, of batenverdeling in overleg met de gemeenschap.",
      "Onderhandelen met enkele individuen in plaats van met de vertegenwoordigers die de "
      "gemeenschap koos.\n"
      "Intimidatie van, of strafklachten tegen, leden van de gemeenschap en verdedigers."},
     {"Bagaimana lahan diperoleh: persetujuan atas dasar informasi di awal tanpa paksaan "
      "(PADIATAPA) dari masyarakat, hak adat, ganti rugi yang dibayar dan kepada siapa.\n"
      "Peta, izin dan perjanjian; rumah tangga dan kelompok mana (perempuan, masyarakat adat) yang "
      "terdampak.",
      "Wakil masyarakat sendiri dan tokoh adat; pendampingan hukum yang independen.\n"
      "Pemerintah daerah dan pembeli; mediator yang diterima kedua pihak.",
      "Tidak ada pembukaan atau perluasan di lahan sengketa selama sengketa berlangsung.\n"
      "Ganti rugi yang adil, pengembalian lahan, atau pembagian manfaat yang disepakati dengan "
      "masyarakat.",
      "Berunding dengan beberapa individu, bukan dengan wakil yang dipilih masyarakat.\n"
      "Intimidasi atau laporan pidana terhadap warga dan pembela hak."},
     {"Đất được thu hồi hoặc chuyển nhượng như thế nào: sự đồng thuận tự do, trước và có đầy đủ "
      "thông tin của cộng đồng, quyền sử dụng đất theo tập quán, khoản bồi thường đã trả và trả "
      "cho ai.\n"
      "Bản đồ, giấy phép và thỏa thuận; những hộ gia đình và nhóm nào (phụ nữ, đồng bào dân tộc "
      "thiểu số) bị ảnh hưởng.",
      "Người đại diện do cộng đồng tự chọn và già làng, người có uy tín; hỗ trợ pháp lý độc lập.\n"
      "Chính quyền địa phương và bên mua; một người hòa giải được cả hai bên chấp nhận.",
      "Không phát quang hoặc mở rộng trên đất đang tranh chấp khi tranh chấp chưa được giải "
      "quyết.\n"
      "Bồi thường công bằng, trả lại đất, hoặc chia sẻ lợi ích được thỏa thuận với cộng đồng.",
      "Thương lượng với một vài cá nhân thay vì với người đại diện do cộng đồng chọn.\n"
      "Đe dọa hoặc tố cáo hình sự đối với người dân và người bảo vệ quyền."},
     {"Comment la terre a été acquise : consentement libre, préalable et éclairé des communautés, "
      "droits coutumiers, indemnités versées et à qui.\n"
      "Cartes, permis et accords ; quels ménages et groupes (femmes, peuples autochtones) sont "
      "touchés.",
      "Les représentants choisis par la communauté et les chefs coutumiers ; un appui juridique "
      "indépendant.\n"
      "Les autorités locales et les acheteurs ; un médiateur accepté par les deux parties.",
      "Aucun défrichement ni extension sur les terres contestées tant que le litige est ouvert.\n"
      "Indemnisation équitable, restitution des terres ou partage des bénéfices convenu avec la "
      "communauté.",
      "Négocier avec quelques individus au lieu des représentants choisis par la communauté.\n"
      "Intimidation ou plaintes pénales contre des membres de la communauté et des défenseurs."}},
    // ---- environment ----
    {{"What is released where: effluent, pesticides, burning, waste; measurements and permits.\n"
      "Who is affected: drinking water, fields, fish, the health of workers and neighbours.",
      "The affected workers and community; an independent laboratory or expert.\n"
      "The environmental authority where the law requires it; the buyers.",
      "The pollution stopped and cleaned up; safe drinking water and health care for those "
      "affected.\n"
      "Compensation for lost crops or fish; monitoring shared with the community.",
      "Measuring only once, or only where the company chooses.\n"
      "Treating the complainant as a troublemaker: protect them from retaliation."},
     {"Wat waar wordt uitgestoten of geloosd: afvalwater, bestrijdingsmiddelen, verbranding, "
      "afval; metingen en vergunningen.\n"
      "Wie getroffen is: drinkwater, akkers, vis, de gezondheid van werknemers en omwonenden.",
      "De getroffen werknemers en gemeenschap; een onafhankelijk laboratorium of deskundige.\n"
      "De milieu-autoriteit waar de wet dat vraagt; de afnemers.",
      "De vervuiling gestopt en opgeruimd; veilig drinkwater en zorg voor wie getroffen is.\n"
      "Vergoeding voor verloren oogst of vis; metingen die met de gemeenschap gedeeld worden.",
      "Maar één keer meten, of alleen waar het bedrijf kiest.\n"
      "De klager als lastpost behandelen: bescherm die tegen represailles."},
     {"Apa yang dibuang ke mana: limbah cair, pestisida, pembakaran, sampah; hasil pengukuran dan "
      "izin.\n"
      "Siapa yang terdampak: air minum, ladang, ikan, kesehatan pekerja dan warga sekitar.",
      "Pekerja dan masyarakat yang terdampak; laboratorium atau ahli yang independen.\n"
      "Dinas lingkungan hidup jika diwajibkan hukum; pembeli.",
      "Pencemaran dihentikan dan dibersihkan; air minum yang aman dan layanan kesehatan bagi yang "
      "terdampak.\n"
      "Ganti rugi atas panen atau ikan yang hilang; pemantauan yang hasilnya dibagikan kepada "
      "masyarakat.",
      "Mengukur hanya sekali, atau hanya di tempat pilihan perusahaan.\n"
      "Menganggap pengadu sebagai pembuat onar: lindungi ia dari pembalasan."},
     {"Chất gì được thải ra ở đâu: nước thải, thuốc trừ sâu, đốt, rác thải; kết quả đo và giấy "
      "phép.\n"
      "Ai bị ảnh hưởng: nước uống, ruộng vườn, cá, sức khỏe của người lao động và người dân xung "
      "quanh.",
      "Người lao động và cộng đồng bị ảnh hưởng; một phòng thí nghiệm hoặc chuyên gia độc lập.\n"
      "Cơ quan môi trường khi luật yêu cầu; bên mua.",
      "Chấm dứt và xử lý ô nhiễm; nước uống an toàn và chăm sóc sức khỏe cho người bị ảnh hưởng.\n"
      "Bồi thường mùa màng hoặc cá bị mất; quan trắc có chia sẻ kết quả với cộng đồng.",
      "Chỉ đo một lần, hoặc chỉ ở nơi công ty chọn.\n"
      "Coi người khiếu nại là kẻ gây rối: hãy bảo vệ họ khỏi bị trả đũa."},
     {"Ce qui est rejeté et où : effluents, pesticides, brûlage, déchets ; mesures et "
      "autorisations.\n"
      "Qui est touché : eau potable, champs, poissons, santé des travailleurs et des riverains.",
      "Les travailleurs et la communauté touchés ; un laboratoire ou un expert indépendant.\n"
      "L'autorité environnementale quand la loi l'exige ; les acheteurs.",
      "Pollution arrêtée et nettoyée ; eau potable sûre et soins pour les personnes touchées.\n"
      "Indemnisation des récoltes ou poissons perdus ; surveillance partagée avec la communauté.",
      "Mesurer une seule fois, ou seulement là où l'entreprise le choisit.\n"
      "Traiter le plaignant comme un fauteur de troubles : protégez-le des représailles."}},
    // ---- other ----
    {{"What the complainant wants to happen, and which rights or rules the complaint concerns.\n"
      "Whether the same issue affects others, and whether it is already in another procedure.",
      "The complainant and, if they wish, their union; whoever can decide on a remedy.\n"
      "Outside expertise where the issue is new to you.",
      "A remedy agreed with the complainant, with dates and who does what.\n"
      "A change that stops it happening again.",
      "Retaliation: watch for it, and report it to the mechanism at once.\n"
      "Deciding without asking the complainant."},
     {"Wat de klager wil dat er gebeurt, en welke rechten of regels de klacht betreft.\n"
      "Of hetzelfde probleem anderen treft, en of het al in een andere procedure zit.",
      "De klager en, als die dat wil, de vakbond; wie over herstel kan beslissen.\n"
      "Externe deskundigheid als het onderwerp nieuw voor u is.",
      "Herstel afgesproken met de klager, met data en wie wat doet.\n"
      "Een verandering die voorkomt dat het opnieuw gebeurt.",
      "Represailles: let erop, en meld ze meteen aan het mechanisme.\n"
      "Beslissen zonder de klager te vragen."},
     {"Apa yang diinginkan pengadu, dan hak atau aturan apa yang menyangkut pengaduan.\n"
      "Apakah masalah yang sama menimpa orang lain, dan apakah sudah ditangani dalam prosedur "
      "lain.",
      "Pengadu dan, jika ia mau, serikat pekerjanya; pihak yang dapat memutuskan pemulihan.\n"
      "Keahlian dari luar jika masalahnya baru bagi Anda.",
      "Pemulihan yang disepakati dengan pengadu, dengan tanggal dan siapa melakukan apa.\n"
      "Perubahan yang mencegah hal itu terulang.",
      "Pembalasan: awasi, dan segera laporkan ke mekanisme.\n"
      "Memutuskan tanpa bertanya kepada pengadu."},
     {"Người khiếu nại mong muốn điều gì, và khiếu nại liên quan đến quyền hoặc quy định nào.\n"
      "Vấn đề tương tự có ảnh hưởng đến người khác không, và đã được xử lý trong thủ tục khác "
      "chưa.",
      "Người khiếu nại và, nếu họ muốn, công đoàn của họ; người có thẩm quyền quyết định biện pháp "
      "khắc phục.\n"
      "Chuyên gia bên ngoài khi vấn đề còn mới với bạn.",
      "Biện pháp khắc phục được thỏa thuận với người khiếu nại, có thời hạn và phân công rõ ràng.\n"
      "Một thay đổi để điều đó không lặp lại.",
      "Trả đũa: hãy theo dõi và báo ngay cho cơ chế.\n"
      "Quyết định mà không hỏi người khiếu nại."},
     {"Ce que le plaignant souhaite obtenir, et quels droits ou règles la plainte concerne.\n"
      "Si le même problème touche d'autres personnes, et s'il fait déjà l'objet d'une autre "
      "procédure.",
      "Le plaignant et, s'il le souhaite, son syndicat ; la personne qui peut décider d'une "
      "réparation.\n"
      "Une expertise extérieure si le sujet est nouveau pour vous.",
      "Une réparation convenue avec le plaignant, avec des dates et qui fait quoi.\n"
      "Un changement qui empêche que cela se reproduise.",
      "Représailles : restez vigilant, et signalez-les immédiatement au mécanisme.\n"
      "Décider sans demander l'avis du plaignant."}},
};

}  // namespace

GuideText default_guide(Category category, Language language) {
  const auto c = static_cast<std::size_t>(category);
  const auto l = static_cast<std::size_t>(language);
  if (c >= 11 || l >= 5) return {};
  const Text& t = kDefaults[c][l];
  return GuideText{t.check, t.involve, t.remedies, t.pitfalls};
}

}  // namespace grievance::domain
